"""One call, one day: every bronze table of the synthetic shop for a single date."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ecap_pipeline.generate.catalog import catalog
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.customers import customers_for_day
from ecap_pipeline.generate.funnel import funnel_events
from ecap_pipeline.generate.orders import orders_from_events
from ecap_pipeline.generate.sessions import session_starts
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS


def generate_day(config: ShopConfig, day: dt.date) -> dict[str, pl.DataFrame]:
    """All bronze tables for `day`, keyed by table name, each in its contract's column order.

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
    session_ends = events.group_by("session_id").agg(pl.col("event_at").max().alias("ended_at"))
    product_ids = products.select(pl.col("product_id").alias("event_product_id")).with_row_index("product_index")
    tables = {
        "customers": customers_for_day(config, day),
        "products": products.drop("popularity"),
        "sessions": sessions.join(session_ends, on="session_id", how="left"),
        "events": events.join(
            product_ids.with_columns(pl.col("product_index").cast(pl.Int64)), on="product_index", how="left"
        ).with_columns(
            pl.format(
                "E{}-{}", pl.lit(day.strftime("%Y%m%d")), pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(7)
            ).alias("event_id"),
            pl.col("event_product_id").alias("product_id"),
        ),
        "orders": orders,
        "order_items": order_items,
    }
    return {name: _conform(name, frame) for name, frame in tables.items()}


def _conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    contract = BRONZE_CONTRACTS[table]
    return frame.select([pl.col(column).cast(dtype) for column, dtype in contract.items()])
