"""Turn a fraud plan into bronze rows: orders, their lines, their sessions and funnel events, labels.

Each fraudulent order gets its own session whose events walk the checkout funnel (login, a
product view and an add-to-cart per line, checkout, shipping, payment) and end in a purchase at
the order's timestamp, so the fraud is as internally consistent as the legitimate data and a
model cannot spot it by a missing session or a dangling product.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.generate.ids import fingerprints
from ecap_pipeline.generate.randomness import weighted_pick
from ecap_pipeline.generate.reference import BROWSER_WEIGHTS_BY_DEVICE, BROWSERS
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS, GROUND_TRUTH_CONTRACTS, UTC_TIMESTAMP

if TYPE_CHECKING:
    from ecap_pipeline.generate.fraud import FraudPolicy

_CHECKOUT_STEPS = ("begin_checkout", "add_shipping_info", "add_payment_info", "purchase")
_LINES = {"cheap": (1, 1), "normal": (1, 3), "expensive": (2, 4)}
"""Lines per order by basket (inclusive). Keeps a session under 5 + 2*4 events."""


def _ids(prefix: str, day: dt.date, numbers: pl.Expr, width: int) -> pl.Expr:
    return pl.format(f"{prefix}{day:%Y%m%d}-F{{}}", numbers.cast(pl.String).str.zfill(width))


def _new_fingerprints(rng: np.random.Generator, prefix: str, count: int) -> pl.Series:
    """New cards or devices, one per incident number, in the format of customers' own (`K`/`D` + 12 digits)."""
    return fingerprints(prefix, rng.integers(10**11, 10**12, size=count), name=prefix)


def _conform(frame: pl.DataFrame, contract: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.select([pl.col(name).cast(dtype) for name, dtype in contract.items()])


def _pools(products: pl.DataFrame, policy: FraudPolicy, rng: np.random.Generator) -> dict[str, npt.NDArray[np.int64]]:
    """Catalog rows each basket draws from, shuffled so consecutive picks are distinct and random."""
    by_price = np.argsort(products["unit_price"].to_numpy(), kind="stable")
    cheap = max(1, math.ceil(policy.cheapest_share * len(by_price)))
    expensive = max(1, math.ceil(policy.expensive_share * len(by_price)))
    return {
        "cheap": rng.permutation(by_price[:cheap]),
        "normal": rng.permutation(len(by_price)),
        "expensive": rng.permutation(by_price[len(by_price) - expensive :]),
    }


def _items(rng: np.random.Generator, orders: pl.DataFrame, products: pl.DataFrame, policy: FraudPolicy) -> pl.DataFrame:
    """Lines of every order: distinct products from the basket's pool, catalog prices, no discount.

    Expensive baskets repeat every line's quantity until the order reaches its target amount.
    """
    parts = []
    for basket, pool in _pools(products, policy, rng).items():
        chosen = orders.filter(pl.col("basket") == basket)
        if chosen.is_empty():
            continue
        low, high = _LINES[basket]
        lines = np.minimum(rng.integers(low, high + 1, size=chosen.height), len(pool))
        start = rng.integers(len(pool), size=chosen.height)
        line = np.arange(lines.sum()) - np.repeat(np.cumsum(lines) - lines, lines)
        parts.append(
            pl.DataFrame(
                {
                    "order_id": np.repeat(chosen["order_id"].to_numpy(), lines),
                    "line_number": line + 1,
                    "product_index": pool[(np.repeat(start, lines) + line) % len(pool)],
                    "target_amount": np.repeat(chosen["target_amount"].to_numpy(), lines),
                }
            )
        )
    catalog = products.select("product_id", "unit_price", "unit_cost").with_row_index("product_index")
    return (
        pl.concat(parts)
        .join(catalog.with_columns(pl.col("product_index").cast(pl.Int64)), on="product_index", how="left")
        .with_columns(
            (pl.col("target_amount") / pl.col("unit_price").sum().over("order_id"))
            .ceil()
            .clip(lower_bound=1)
            .cast(pl.Int32)
            .alias("quantity"),
            pl.lit(0.0).alias("discount_amount"),
        )
        .sort("order_id", "line_number")
    )


def _events(day: dt.date, orders: pl.DataFrame, items: pl.DataFrame) -> pl.DataFrame:
    """The funnel of each order's session, ending in its purchase; earlier steps `event_gap` apart."""
    lines = items.group_by("order_id").agg(pl.len().alias("lines"))
    steps = (
        orders.join(lines, on="order_id")
        .with_columns((5 + 2 * pl.col("lines")).alias("steps"))
        .with_columns(pl.int_ranges(0, pl.col("steps")).alias("step"))
        .explode("step")
    )
    checkout = pl.col("step") - (pl.col("steps") - len(_CHECKOUT_STEPS))
    events = steps.with_columns(
        pl.when(pl.col("step") == 0)
        .then(pl.lit("login"))
        .when(checkout >= 0)
        .then(checkout.replace_strict(dict(enumerate(_CHECKOUT_STEPS)), default=None, return_dtype=pl.String))
        .when(pl.col("step") % 2 == 1)
        .then(pl.lit("product_view"))
        .otherwise(pl.lit("add_to_cart"))
        .alias("event_type"),
        pl.when((pl.col("step") > 0) & (checkout < 0)).then((pl.col("step") + 1) // 2).alias("line_number"),
        (
            pl.col("ordered_at")
            - pl.duration(
                microseconds=((pl.col("steps") - 1 - pl.col("step")) * pl.col("event_gap") * 1e6).cast(pl.Int64)
            )
        ).alias("event_at"),
    ).join(
        items.select("order_id", "line_number", "product_id", "quantity"), on=["order_id", "line_number"], how="left"
    )
    return events.sort("ordered_at", "order_id", "step").with_columns(
        _ids("E", day, pl.int_range(1, pl.len() + 1), 6).alias("event_id"),
        pl.when(pl.col("event_type") == "add_to_cart").then(pl.col("quantity")).alias("quantity"),
    )


def fraud_rows(
    rng: np.random.Generator, day: dt.date, plan: pl.DataFrame, products: pl.DataFrame, *, policy: FraudPolicy
) -> dict[str, pl.DataFrame]:
    """Bronze rows (orders, order_items, sessions, events in their contracts) and labels of a plan."""
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    plan = plan.with_columns(pl.struct("pattern", "incident").rank("dense").alias("incident_number"))
    incidents = int(plan["incident_number"].max() or 0) + 1
    new_cards, new_devices = _new_fingerprints(rng, "K", incidents), _new_fingerprints(rng, "D", incidents)
    orders = (
        plan.sort("at", "pattern", "incident", "customer_id")
        .with_row_index("number", offset=1)
        .with_columns(
            _ids("O", day, pl.col("number"), 5).alias("order_id"),
            _ids("S", day, pl.col("number"), 5).alias("session_id"),
            (pl.lit(midnight, dtype=UTC_TIMESTAMP) + pl.duration(seconds=pl.col("at"))).alias("ordered_at"),
            pl.col("card_id").fill_null(pl.lit(new_cards).gather(pl.col("incident_number"))),
            pl.col("device_id").fill_null(pl.lit(new_devices).gather(pl.col("incident_number"))),
            pl.lit("USD").alias("currency"),
        )
    )
    items = _items(rng, orders, products, policy)
    events = _events(day, orders, items)
    sessions = (
        events.group_by("session_id", maintain_order=True)
        .agg(pl.col("event_at").min().alias("started_at"), pl.col("event_at").max().alias("ended_at"))
        .join(orders, on="session_id")
    )
    sessions = sessions.with_columns(
        _browsers(rng, sessions["device"]),
        pl.lit("direct").alias("channel"),
        pl.lit(None, dtype=pl.String).alias("referrer"),
        pl.lit(None, dtype=pl.String).alias("campaign_id"),
    )
    return {
        "orders": _conform(orders, BRONZE_CONTRACTS["orders"]),
        "order_items": _conform(items, BRONZE_CONTRACTS["order_items"]),
        "sessions": _conform(sessions, BRONZE_CONTRACTS["sessions"]),
        "events": _conform(events, BRONZE_CONTRACTS["events"]),
        "labels": _conform(orders.sort("order_id"), GROUND_TRUTH_CONTRACTS["fraud_labels"]),
    }


def _browsers(rng: np.random.Generator, devices: pl.Series) -> pl.Series:
    """A browser per session, drawn from the same per-device mix as legitimate sessions."""
    uniform = rng.random(len(devices))
    picked = np.empty(len(devices), dtype=object)
    for device, weights in BROWSER_WEIGHTS_BY_DEVICE.items():
        rows = (devices == device).to_numpy()
        picked[rows] = np.array(BROWSERS)[weighted_pick(uniform[rows], weights)]
    return pl.Series("browser", picked, dtype=pl.String)
