"""One call, one day: every bronze and ground-truth table of the synthetic shop for a single date."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.generate.catalog import catalog
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.customers import (
    alive_customer_numbers,
    customer_ids,
    customer_lifetimes_for_day,
    customer_profiles,
    customers_for_day,
)
from ecap_pipeline.generate.fraud import inject_fraud
from ecap_pipeline.generate.funnel import funnel_events
from ecap_pipeline.generate.marketing import attach_campaigns, campaign_spend, touchpoints
from ecap_pipeline.generate.orders import orders_from_events
from ecap_pipeline.generate.randomness import Stream, day_rng
from ecap_pipeline.generate.renumber import renumber
from ecap_pipeline.generate.returns import returns_for_orders
from ecap_pipeline.generate.sessions import session_starts
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS, GROUND_TRUTH_CONTRACTS

GENERATED_TABLES: tuple[str, ...] = (
    "customers",
    "products",
    "sessions",
    "events",
    "orders",
    "order_items",
    "returns",
    "campaign_spend",
    "touchpoints",
    "customer_lifetimes",
    "fraud_labels",
)
"""What `generate_day` returns: the shop's bronze tables, then its ground truth."""

_FRAUD_CANDIDATES = 2_000
"""Alive customers (besides today's buyers) offered to fraud injection as victims: enough for
every pattern, and far cheaper than building the profile of every alive customer each day."""


def generate_day(config: ShopConfig, day: dt.date) -> dict[str, pl.DataFrame]:
    """The shop's tables for `day` (see `GENERATED_TABLES`), each in its contract's column order.

    Depends only on the config and the day, so days can be generated in any order or in
    parallel with identical results.
    """
    if day < config.opening_date:
        msg = f"day {day} is before the shop opened on {config.opening_date}"
        raise ValueError(msg)
    products = catalog(config)
    sessions = session_starts(config, day)
    events = funnel_events(config, day, sessions, products["popularity"].to_numpy())
    orders, order_items = orders_from_events(config, day, sessions, events, products)
    last_event = events.select(
        pl.col("session_id").is_last_distinct().alias("last"), pl.col("event_at").alias("ended_at")
    ).filter("last")
    sessions = attach_campaigns(config, day, sessions.with_columns(last_event["ended_at"]), plan=config.marketing)
    events = events.with_columns(
        pl.lit(None, dtype=pl.String).alias("event_id"),  # given by `renumber`, once the day's rows are final
        products["product_id"].gather(events["product_index"]),
    )
    frames = {"orders": orders, "order_items": order_items, "sessions": sessions, "events": events}
    legitimate = {name: _conform(name, frame) for name, frame in frames.items()}
    alive = alive_customer_numbers(config, day)
    with_fraud = inject_fraud(
        config,
        day,
        **legitimate,
        customers=customer_profiles(config, _fraud_candidates(config, day, alive, orders["customer_id"])),
        products=products,
        policy=config.fraud,
    )
    final = renumber(
        day,
        sessions=with_fraud.sessions,
        events=with_fraud.events,
        orders=with_fraud.orders,
        order_items=with_fraud.order_items,
        fraud_labels=with_fraud.labels,
    )
    legitimate_orders = final.orders.join(final.fraud_labels, on="order_id", how="anti")
    legitimate_items = final.order_items.join(legitimate_orders, on="order_id", how="semi")
    day_touchpoints = touchpoints(config, day, final.sessions, pl.DataFrame(customer_ids(alive)), plan=config.marketing)
    tables = {
        "customers": customers_for_day(config, day),
        "products": products,
        "sessions": final.sessions,
        "events": final.events,
        "orders": final.orders,
        "order_items": final.order_items,
        "returns": returns_for_orders(config, day, legitimate_orders, legitimate_items, products),
        "campaign_spend": campaign_spend(config, day, day_touchpoints, plan=config.marketing),
        "touchpoints": day_touchpoints,
        "customer_lifetimes": customer_lifetimes_for_day(config, day),
        "fraud_labels": final.fraud_labels,
    }
    return {name: _conform(name, frame) for name, frame in tables.items()}


def _fraud_candidates(
    config: ShopConfig, day: dt.date, alive: npt.NDArray[np.int64], buyer_ids: pl.Series
) -> npt.NDArray[np.int64]:
    """Today's buyers (impossible travel starts from a real order) and a seeded sample of the alive."""
    rng = day_rng(config.seed, Stream.AUDIENCE, day)
    sample = rng.choice(alive, size=min(_FRAUD_CANDIDATES, len(alive)), replace=False) if len(alive) else alive
    buyers = buyer_ids.str.slice(1).cast(pl.Int64).to_numpy()
    return np.union1d(sample, buyers)


def _conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` in its contract's columns and dtypes; columns already right pass through uncast."""
    contract = BRONZE_CONTRACTS.get(table) or GROUND_TRUTH_CONTRACTS[table]
    schema = frame.schema
    if list(schema.items()) == list(contract.items()):
        return frame
    return frame.select(
        [
            pl.col(column) if schema.get(column) == dtype else pl.col(column).cast(dtype)
            for column, dtype in contract.items()
        ]
    )
