"""Injected fraud: consistent rows, exact labels, the configured share and each pattern's signature.

Inputs are hand-built synthetic days in the bronze contracts (not `generate_day`), so these
tests pin the fraud module alone.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.fraud import FraudDay, FraudPolicy, inject_fraud
from ecap_pipeline.generate.fraud_patterns import PATTERNS, haversine_km
from ecap_pipeline.generate.reference import CITIES
from ecap_pipeline.generate.scales import get_scale
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS, GROUND_TRUTH_CONTRACTS

CONFIG = ShopConfig(seed=7, scale=get_scale("tiny"), opening_date=dt.date(2025, 1, 1))
DAY = dt.date(2025, 9, 1)
TABLES = ("orders", "order_items", "sessions", "events")


def synthetic_day(day: dt.date, *, orders: int = 300, customers: int = 400, seed: int = 0) -> dict[str, pl.DataFrame]:
    """A legitimate day in the bronze contracts: orders with lines, a session and a small funnel each."""
    rng = np.random.default_rng([seed, day.toordinal()])
    tag = f"{day:%Y%m%d}"
    prices = np.round(np.exp(rng.normal(np.log(40.0), 0.9, size=60)), 2) + 1.0
    products = pl.DataFrame(
        {"product_id": [f"P{i:05d}" for i in range(60)], "unit_price": prices, "unit_cost": np.round(prices * 0.6, 2)}
    )
    city = rng.integers(len(CITIES), size=customers)
    profiles = pl.DataFrame(
        {
            "customer_id": [f"C{i:06d}" for i in range(customers)],
            "country_code": [CITIES[c].country_code for c in city],
            "city": [CITIES[c].city for c in city],
            "latitude": [CITIES[c].latitude for c in city],
            "longitude": [CITIES[c].longitude for c in city],
            "device_id": [f"D{i:06d}" for i in range(customers)],
            "card_id": [f"K{i:06d}" for i in range(customers)],
        }
    )
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    who = profiles[rng.integers(customers, size=orders)]
    seconds = np.sort(rng.integers(600, 86_000, size=orders))
    numbers = [f"{i:06d}" for i in range(1, orders + 1)]
    at = pl.lit(midnight) + pl.duration(seconds=pl.Series(seconds))
    order_frame = who.select(
        pl.Series("order_id", [f"O{tag}-{n}" for n in numbers]),
        "customer_id",
        pl.Series("session_id", [f"S{tag}-{n}" for n in numbers]),
        at.alias("ordered_at"),
        pl.lit("credit_card").alias("payment_method"),
        "card_id",
        pl.lit("mobile").alias("device"),
        "device_id",
        "country_code",
        "latitude",
        "longitude",
        pl.lit("USD").alias("currency"),
    )
    lines = rng.integers(1, 4, size=orders)
    product = rng.integers(len(prices), size=lines.sum())
    quantity = rng.integers(1, 3, size=lines.sum())
    items = pl.DataFrame(
        {
            "order_id": np.repeat(order_frame["order_id"].to_numpy(), lines),
            "line_number": np.arange(lines.sum()) - np.repeat(np.cumsum(lines) - lines, lines) + 1,
            "product_id": products["product_id"].to_numpy()[product],
            "quantity": quantity,
            "unit_price": prices[product],
            "unit_cost": products["unit_cost"].to_numpy()[product],
            "discount_amount": np.round(prices[product] * quantity * 0.1 * (rng.random(lines.sum()) < 0.2), 2),
        }
    )
    sessions = order_frame.select(
        "session_id",
        "customer_id",
        (pl.col("ordered_at") - pl.duration(seconds=300)).alias("started_at"),
        (pl.col("ordered_at") + pl.duration(seconds=30)).alias("ended_at"),
        "device",
        pl.lit("Chrome").alias("browser"),
        pl.lit("direct").alias("channel"),
        pl.lit(None).alias("referrer"),
        pl.lit(None).alias("campaign_id"),
        "country_code",
    )
    carts = items.join(order_frame, on="order_id").select(
        "session_id", "customer_id", pl.lit("add_to_cart").alias("event_type"),
        (pl.col("ordered_at") - pl.duration(seconds=60)).alias("event_at"), "product_id", "quantity",
    )  # fmt: skip
    purchases = order_frame.select(
        "session_id", "customer_id", pl.lit("purchase").alias("event_type"), pl.col("ordered_at").alias("event_at"),
        pl.lit(None).alias("product_id"), pl.lit(None).alias("quantity"),
    )  # fmt: skip
    events = pl.concat([carts, purchases], how="vertical_relaxed").with_columns(
        pl.format("E{}-{}", pl.lit(tag), pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(7)).alias("event_id")
    )
    frames = {"orders": order_frame, "order_items": items, "sessions": sessions, "events": events}
    day_tables = {
        name: frame.select(pl.col(c).cast(t) for c, t in BRONZE_CONTRACTS[name].items())
        for name, frame in frames.items()
    }
    return {**day_tables, "customers": profiles, "products": products}


def inject(day: dt.date, tables: dict[str, pl.DataFrame], policy: FraudPolicy | None = None) -> FraudDay:
    return inject_fraud(CONFIG, day, **tables, policy=policy or FraudPolicy())


def amounts(result: FraudDay) -> pl.DataFrame:
    """Orders with their amount (lines net of discounts)."""
    totals = result.order_items.group_by("order_id").agg(
        (pl.col("quantity") * pl.col("unit_price") - pl.col("discount_amount")).sum().alias("amount")
    )
    return result.orders.join(totals, on="order_id", how="left")


@pytest.fixture(scope="module")
def day_tables() -> dict[str, pl.DataFrame]:
    return synthetic_day(DAY)


@pytest.fixture(scope="module")
def result(day_tables: dict[str, pl.DataFrame]) -> FraudDay:
    return inject(DAY, day_tables, FraudPolicy(rate=0.05))


@pytest.fixture(scope="module")
def many_days() -> list[tuple[dict[str, pl.DataFrame], FraudDay]]:
    """Thirty days of a shop with a few hundred orders a day at the default 1% rate."""
    days = [DAY + dt.timedelta(days=offset) for offset in range(30)]
    return [(tables, inject(day, tables)) for day in days for tables in [synthetic_day(day, seed=1)]]


def test_labels_name_exactly_the_injected_orders(day_tables: dict[str, pl.DataFrame], result: FraudDay) -> None:
    added = result.orders.slice(day_tables["orders"].height)
    assert added.height > 0
    assert result.labels.sort("order_id").equals(
        added.select("order_id", "customer_id")
        .sort("order_id")
        .join(result.labels.select("order_id", "pattern"), on="order_id")
    )
    assert set(result.labels["pattern"]) <= set(PATTERNS)
    assert added["order_id"].str.contains("-F").all()


def test_legitimate_rows_are_untouched(day_tables: dict[str, pl.DataFrame], result: FraudDay) -> None:
    for name in TABLES:
        legitimate = day_tables[name]
        assert getattr(result, name).head(legitimate.height).equals(legitimate), name
        assert getattr(result, name).height > legitimate.height, name


def test_outputs_follow_the_contracts(result: FraudDay) -> None:
    for name in TABLES:
        assert getattr(result, name).schema == pl.Schema(BRONZE_CONTRACTS[name]), name
    assert result.labels.schema == pl.Schema(GROUND_TRUTH_CONTRACTS["fraud_labels"])


def test_ids_are_unique(result: FraudDay) -> None:
    assert result.orders["order_id"].is_unique().all()
    assert result.sessions["session_id"].is_unique().all()
    assert result.events["event_id"].is_unique().all()
    assert not result.order_items.select("order_id", "line_number").is_duplicated().any()


def test_fraudulent_orders_are_internally_consistent(day_tables: dict[str, pl.DataFrame], result: FraudDay) -> None:
    fraud = result.orders.join(result.labels.select("order_id"), on="order_id")
    sessions = fraud.join(result.sessions, on="session_id", how="left", suffix="_session")
    assert sessions["started_at"].null_count() == 0
    assert (sessions["customer_id"] == sessions["customer_id_session"]).all()
    assert (sessions["country_code"] == sessions["country_code_session"]).all()
    assert ((sessions["started_at"] <= sessions["ordered_at"]) & (sessions["ordered_at"] <= sessions["ended_at"])).all()
    purchases = result.events.filter(pl.col("event_type") == "purchase").join(fraud, on="session_id")
    assert purchases.height == fraud.height
    assert (purchases["event_at"] == purchases["ordered_at"]).all()
    events = result.events.join(sessions.select("session_id", "started_at", "ended_at"), on="session_id")
    assert ((events["started_at"] <= events["event_at"]) & (events["event_at"] <= events["ended_at"])).all()
    assert events.filter(pl.col("event_type") == "add_to_cart")["product_id"].null_count() == 0
    items = result.order_items.join(fraud.select("order_id"), on="order_id")
    assert set(items["order_id"]) == set(fraud["order_id"])
    priced = items.join(day_tables["products"], on="product_id", how="left", suffix="_catalog")
    assert (priced["unit_price"] == priced["unit_price_catalog"]).all()
    assert (priced["unit_cost"] == priced["unit_cost_catalog"]).all()
    for frame, column in ((result.sessions, "started_at"), (result.sessions, "ended_at"), (result.events, "event_at")):
        assert (frame[column].dt.date() == DAY).all(), column


def test_fraud_share_tracks_the_rate_over_tiny_days() -> None:
    legitimate = fraudulent = 0
    for offset in range(90):
        day = DAY + dt.timedelta(days=offset)
        tables = synthetic_day(day, orders=60 + offset % 40, seed=2)
        fraud = inject(day, tables)
        legitimate += tables["orders"].height
        fraudulent += fraud.labels.height
    assert fraudulent / (legitimate + fraudulent) == pytest.approx(0.01, rel=0.25)


def test_every_pattern_appears_over_a_month(many_days: list[tuple[dict[str, pl.DataFrame], FraudDay]]) -> None:
    patterns = pl.concat([fraud.labels for _, fraud in many_days])["pattern"]
    assert set(patterns) == set(PATTERNS)


def _signatures(tables: dict[str, pl.DataFrame], fraud: FraudDay) -> dict[str, pl.DataFrame]:
    """Each fraud order with its amount, the customer's profile and their typical order amount."""
    orders = amounts(fraud)
    legitimate = orders.join(tables["orders"].select("order_id"), on="order_id")
    typical = max(float(legitimate["amount"].median()), 1.0)
    spent = legitimate.group_by("customer_id").agg(pl.col("amount").max().alias("spent"))
    labelled = (
        orders.join(fraud.labels.select("order_id", "pattern"), on="order_id")
        .join(tables["customers"], on="customer_id", suffix="_profile")
        .join(spent, on="customer_id", how="left")
        .with_columns(pl.max_horizontal(pl.col("spent").fill_null(0.0), pl.lit(typical)).alias("typical"))
    )
    return {pattern: labelled.filter(pl.col("pattern") == pattern) for pattern in PATTERNS}


def test_each_pattern_shows_its_signature(many_days: list[tuple[dict[str, pl.DataFrame], FraudDay]]) -> None:
    for tables, fraud in many_days:
        patterns = _signatures(tables, fraud)
        cheapest = float(tables["products"]["unit_price"].quantile(0.1))
        cards = patterns["card_testing"].group_by("card_id").agg(
            pl.len().alias("orders"), pl.col("device_id").n_unique().alias("devices"),
            (pl.col("ordered_at").max() - pl.col("ordered_at").min()).alias("span"), pl.col("amount").max(),
        )  # fmt: skip
        assert (cards["orders"] >= 5).all() and (cards["devices"] == 1).all()
        assert (cards["span"] <= dt.timedelta(minutes=10)).all() and (cards["amount"] <= cheapest).all()
        assert not cards["card_id"].is_in(tables["customers"]["card_id"].implode()).any()
        takeover = patterns["account_takeover"]
        assert (takeover["device_id"] != takeover["device_id_profile"]).all()
        assert (takeover["country_code"] != takeover["country_code_profile"]).all()
        assert (takeover["amount"] >= 3 * takeover["typical"]).all()
        velocity = (
            patterns["velocity_burst"]
            .group_by("customer_id", "device_id")
            .agg(pl.len().alias("orders"), (pl.col("ordered_at").max() - pl.col("ordered_at").min()).alias("span"))
        )
        assert (velocity["orders"] >= 4).all() and (velocity["span"] <= dt.timedelta(hours=1)).all()
        outliers = patterns["amount_outlier"]
        assert (outliers["amount"] >= 10 * outliers["typical"]).all()
        _assert_impossible_travel(fraud, patterns["impossible_travel"]["order_id"])


def _assert_impossible_travel(fraud: FraudDay, order_ids: pl.Series) -> None:
    """Each order sits next to another order of its customer that it could not have travelled from."""
    customers = fraud.orders.filter(pl.col("order_id").is_in(order_ids.implode()))["customer_id"].implode()
    trail = fraud.orders.filter(pl.col("customer_id").is_in(customers)).sort("customer_id", "ordered_at")
    speeds = []
    for step in (1, -1):
        other = trail.select(pl.all().shift(step).over("customer_id"))
        km = haversine_km(trail["latitude"], trail["longitude"], other["latitude"], other["longitude"])
        hours = np.abs((trail["ordered_at"] - other["ordered_at"]).dt.total_seconds().to_numpy()) / 3600
        speeds.append(np.where(hours > 0, km / np.maximum(hours, 1e-9), np.inf))
    fastest = pl.Series(np.fmax(*speeds)).filter(trail["order_id"].is_in(order_ids.implode()))
    assert len(fastest) == len(order_ids)
    assert (fastest > 1000).all()


def test_same_seed_and_day_give_identical_fraud(day_tables: dict[str, pl.DataFrame], result: FraudDay) -> None:
    again = inject(DAY, day_tables, FraudPolicy(rate=0.05))
    for name in (*TABLES, "labels"):
        assert getattr(again, name).equals(getattr(result, name)), name
    other_seed = inject_fraud(
        ShopConfig(8, CONFIG.scale, CONFIG.opening_date), DAY, **day_tables, policy=FraudPolicy(rate=0.05)
    )
    assert not other_seed.orders.equals(result.orders)


def test_rate_zero_injects_nothing(day_tables: dict[str, pl.DataFrame]) -> None:
    clean = inject(DAY, day_tables, FraudPolicy(rate=0.0))
    for name in TABLES:
        assert getattr(clean, name).equals(day_tables[name]), name
    assert clean.labels.is_empty()
    assert clean.labels.schema == pl.Schema(GROUND_TRUTH_CONTRACTS["fraud_labels"])


@pytest.mark.parametrize(
    ("options", "parameter"),
    [
        ({"rate": 1.5}, "rate=1.5"),
        ({"rate": -0.1}, "rate=-0.1"),
        ({"rate": 1.0}, "rate=1.0"),
        ({"pattern_weights": {"card_testing": -1.0, "amount_outlier": 1.0}}, "pattern_weights['card_testing']"),
        ({"pattern_weights": dict.fromkeys(PATTERNS, 0.0)}, "pattern_weights are all zero"),
        ({"pattern_weights": {"phishing": 1.0}}, "pattern_weights has unknown pattern"),
        ({"card_testing_orders": (5, 2)}, "card_testing_orders"),
        ({"velocity_window_minutes": 90.0}, "velocity_window_minutes"),
    ],
)
def test_bad_parameters_are_named(options: dict[str, object], parameter: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"fraud {parameter}")):
        FraudPolicy(**options)  # type: ignore[arg-type]
