"""Recompute the journey and geography marts of the shared tiny build from bronze in polars.

`funnel_daily` must equal an independent count from the bronze sessions, events and orders: a
session reaches a step if it has that step's event or any later one (a purchase is a purchase
event or an order placed in the session), every day x device x channel seen is present with zeros,
and a rate over an empty step is 0. `geography_by_country` and `geography_by_city` must equal the
bronze order lines and returns placed at each customer's residence, money in integer cents.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.settings import Settings
from tests.integration.conftest import Built
from tests.integration.test_revenue_marts import expected_revenue_lines

pytestmark = pytest.mark.integration

STEP_EVENTS = ("product_view", "add_to_cart", "begin_checkout", "purchase")
"""The events that mark a funnel step; an order placed in the session also marks a purchase."""
STEPS = ("sessions", "product_view_sessions", "add_to_cart_sessions", "begin_checkout_sessions", "purchase_sessions")
RATES = {
    "product_view_rate": ("product_view_sessions", "sessions"),
    "view_to_cart_rate": ("add_to_cart_sessions", "product_view_sessions"),
    "cart_to_checkout_rate": ("begin_checkout_sessions", "add_to_cart_sessions"),
    "checkout_to_purchase_rate": ("purchase_sessions", "begin_checkout_sessions"),
    "session_conversion_rate": ("purchase_sessions", "sessions"),
}
LOCATION = ("country_code", "region", "city")
GEOGRAPHY_SUMS = (
    "customers",
    "ordering_customers",
    "orders",
    "orders_placed_abroad",
    "units",
    "net_revenue",
    "cost",
    "margin",
    "returned_units",
    "refund_amount",
    "returned_cost",
    "net_revenue_after_refunds",
    "margin_after_refunds",
)


def _latest(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Staging's deduplication: per key, the latest partition, then the latest ingestion."""
    return frame.sort(["partition_date", "_ingested_at"]).unique(subset=key, keep="last", maintain_order=True)


def _ratio_or_zero(numerator: str, denominator: str) -> pl.Expr:
    return pl.when(pl.col(denominator) == 0).then(0.0).otherwise(pl.col(numerator) / pl.col(denominator))


def expected_funnel(settings: Settings) -> pl.DataFrame:
    """Sessions reaching each step per day x device x channel, zero-filled, with the step rates."""
    lake = settings.lake_dir
    sessions = _latest(read_table(lake, "sessions"), ["session_id"]).select(
        "session_id", "device", "channel", pl.col("started_at").dt.date().alias("session_date")
    )
    steps = (
        _latest(read_table(lake, "events"), ["event_id"])
        .group_by("session_id")
        .agg([(pl.col("event_type") == step).any().alias(step) for step in STEP_EVENTS])
    )
    ordered = (
        _latest(read_table(lake, "orders"), ["order_id"])
        .filter(pl.col("session_id").is_not_null())
        .select("session_id", pl.lit(value=True).alias("has_order"))
        .unique()
    )
    reached = (
        sessions.join(steps, on="session_id", how="left")
        .join(ordered, on="session_id", how="left")
        .with_columns(pl.col(*STEP_EVENTS, "has_order").fill_null(value=False))
        .with_columns((pl.col("purchase") | pl.col("has_order")).alias("purchase_sessions"))
        .with_columns((pl.col("begin_checkout") | pl.col("purchase_sessions")).alias("begin_checkout_sessions"))
        .with_columns((pl.col("add_to_cart") | pl.col("begin_checkout_sessions")).alias("add_to_cart_sessions"))
        .with_columns((pl.col("product_view") | pl.col("add_to_cart_sessions")).alias("product_view_sessions"))
    )
    cells = reached.group_by("session_date", "device", "channel").agg(
        pl.len().alias("sessions"), pl.col(*STEPS[1:]).sum()
    )
    days = pl.DataFrame(
        {"session_date": pl.date_range(reached["session_date"].min(), reached["session_date"].max(), eager=True)}
    )
    grid = days.join(reached.select("device", "channel").unique(), how="cross")
    return (
        grid.join(cells, on=["session_date", "device", "channel"], how="left")
        .with_columns(pl.col(*STEPS).fill_null(0).cast(pl.Int64))
        .with_columns([_ratio_or_zero(*columns).alias(rate) for rate, columns in RATES.items()])
    )


def expected_geography(settings: Settings) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(by city, by country): residents and the sales and refunds of their orders, money in cents."""
    residents = _latest(read_table(settings.lake_dir, "customers"), ["customer_id"]).select(
        "customer_id", *LOCATION, "latitude", "longitude"
    )
    lines, _, _ = expected_revenue_lines(settings.lake_dir)
    located = (
        lines.rename({"country_code": "order_country_code"})
        .drop("region")
        .join(residents.drop("latitude", "longitude"), on="customer_id", how="left")
        .with_columns(pl.col(*LOCATION).fill_null("unknown"))
    )
    sold = pl.col("line_type") == "sale"
    abroad = sold & (pl.col("order_country_code") != pl.col("country_code")).fill_null(value=False)
    money = list(GEOGRAPHY_SUMS[4:])

    def aggregate(keys: list[str]) -> pl.DataFrame:
        bought = located.group_by(keys).agg(
            pl.col("customer_id").filter(sold).n_unique().alias("ordering_customers"),
            pl.col("order_id").filter(sold).n_unique().alias("orders"),
            pl.col("order_id").filter(abroad).n_unique().alias("orders_placed_abroad"),
            pl.col(money).sum(),
        )
        living = residents.group_by(keys).agg(pl.len().alias("customers"))
        return (
            living.join(bought, on=keys, how="full", coalesce=True)
            .with_columns(pl.col(GEOGRAPHY_SUMS).fill_null(0).cast(pl.Int64))
            .with_columns(
                (pl.col("net_revenue") / pl.col("net_revenue").sum()).alias("share_of_net_revenue"),
                _ratio_or_zero("ordering_customers", "customers").alias("ordering_customer_rate"),
                _ratio_or_zero("net_revenue", "customers").alias("net_revenue_per_customer"),
                _ratio_or_zero("net_revenue", "ordering_customers").alias("net_revenue_per_ordering_customer"),
            )
        )

    coordinates = residents.group_by(LOCATION).agg(pl.col("latitude", "longitude").mean().round(6))
    by_city = aggregate(list(LOCATION)).join(coordinates, on=list(LOCATION), how="left")
    return by_city, aggregate(["country_code"])


@pytest.fixture(scope="module")
def settings(built: Built) -> Settings:
    failures = [event.event_specific_data for event in built.result.all_events if event.is_step_failure]
    assert built.result.success, failures
    return built.settings


def _query(settings: Settings, sql: str) -> pl.DataFrame:
    """A mart from a fresh read-only connection, decimals (money) as integer cents."""
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    columns = {
        name: [int(value * 100) if isinstance(value, Decimal) else value for value in values]
        for name, values in zip(names, zip(*rows, strict=True), strict=True)
    }
    return pl.DataFrame(columns, infer_schema_length=None)


def _assert_same(actual: pl.DataFrame, wanted: pl.DataFrame, keys: list[str], columns: list[str]) -> None:
    """Same keys on both sides; integers equal, floats within 1e-9, nulls only where both are null."""
    joined = wanted.select(*keys, *columns).join(actual.select(*keys, *columns), on=keys, how="full", suffix="_actual")
    assert joined.height == wanted.height == actual.height
    for column in columns:
        left, right = joined[column], joined[f"{column}_actual"]
        if left.dtype == pl.Float64:
            close = ((left - right).abs() < 1e-9).fill_null(value=False)
            assert (close | (left.is_null() & right.is_null())).all(), column
        else:
            assert left.eq_missing(right).all(), column


def test_funnel_daily_equals_sessions_events_and_orders_from_bronze(settings: Settings) -> None:
    wanted = expected_funnel(settings)
    actual = _query(settings, "select * from funnel_daily")
    _assert_same(actual, wanted, ["session_date", "device", "channel"], [*STEPS, *RATES])
    # the build has traffic, purchases and cells without sessions, so every branch was exercised
    assert wanted["purchase_sessions"].sum() > 0
    assert (wanted["sessions"] == 0).any()
    assert actual["session_date"].min() == dt.date.fromisoformat("2025-09-08")


def test_session_metrics_daily_has_the_funnel_rows_and_sessions(settings: Settings) -> None:
    funnel = _query(settings, "select session_date, device, channel, sessions from funnel_daily")
    metrics = _query(
        settings, "select session_date, device, channel, sessions, bounced_sessions from session_metrics_daily"
    )
    _assert_same(metrics, funnel, ["session_date", "device", "channel"], ["sessions"])
    assert (metrics["bounced_sessions"] <= metrics["sessions"]).all()


@pytest.mark.parametrize(
    ("mart", "keys"), [("geography_by_city", list(LOCATION)), ("geography_by_country", ["country_code"])]
)
def test_geography_equals_bronze_lines_at_the_customers_residence(
    settings: Settings, mart: str, keys: list[str]
) -> None:
    by_city, by_country = expected_geography(settings)
    wanted = by_city if mart == "geography_by_city" else by_country
    actual = _query(settings, f"select * from {mart}")
    coordinates = ["latitude", "longitude"] if mart == "geography_by_city" else []
    columns = [*GEOGRAPHY_SUMS, "share_of_net_revenue", "ordering_customer_rate", *coordinates]
    _assert_same(actual, wanted, keys, columns)
    # per-customer money is rounded to the cent once, from the exact ratio
    joined = wanted.join(actual, on=keys, suffix="_actual")
    for column in ("net_revenue_per_customer", "net_revenue_per_ordering_customer"):
        assert ((joined[column] - joined[f"{column}_actual"]).abs() <= 0.5 + 1e-6).all(), column
    assert wanted["refund_amount"].sum() > 0
    assert (
        wanted["net_revenue"].sum()
        == _query(settings, "select sum(net_revenue) as total from fct_order_items")["total"][0]
    )
