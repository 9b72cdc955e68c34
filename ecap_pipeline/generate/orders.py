"""Orders and order lines, derived from the purchase events of a day's clickstream."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.randomness import Stream, day_rng
from ecap_pipeline.generate.reference import CURRENCY, PAYMENT_METHODS


@dataclass(frozen=True)
class DiscountPolicy:
    """Share of orders that carry a discount, and the percentages offered."""

    share_of_orders: float = 0.2
    percentages: tuple[float, ...] = (0.05, 0.10, 0.15, 0.20)


def orders_from_events(
    config: ShopConfig,
    day: dt.date,
    sessions: pl.DataFrame,
    events: pl.DataFrame,
    products: pl.DataFrame,
    *,
    discounts: DiscountPolicy = DiscountPolicy(),
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One order per session that purchased, and its lines: the products added to that cart.

    Returns (orders, order_items). Lines take the catalog price and cost of the day; a discount
    applies to every line of a discounted order.
    """
    rng = day_rng(config.seed, Stream.ORDERS, day)
    purchases = (
        events.filter(pl.col("event_type") == "purchase")
        .select("session_id", "customer_id", pl.col("event_at").alias("ordered_at"))
        .sort("ordered_at", "session_id")
    )
    count = purchases.height
    methods = np.array(list(PAYMENT_METHODS))
    weights = np.array(list(PAYMENT_METHODS.values()))
    discounted = rng.random(count) < discounts.share_of_orders
    percentage = np.where(discounted, rng.choice(discounts.percentages, size=count), 0.0)
    orders = purchases.with_columns(
        pl.format(
            "O{}-{}", pl.lit(day.strftime("%Y%m%d")), pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(6)
        ).alias("order_id"),
        pl.Series("payment_method", methods[rng.choice(len(methods), size=count, p=weights / weights.sum())]),
        pl.Series("discount_rate", percentage),
    ).join(sessions.select("session_id", "device", "country_code"), on="session_id", how="left")

    catalog = products.with_row_index("product_index").with_columns(pl.col("product_index").cast(pl.Int64))
    items = (
        events.filter(pl.col("event_type") == "add_to_cart")
        .join(orders.select("session_id", "order_id", "discount_rate"), on="session_id", how="inner")
        .group_by("order_id", "product_index", "discount_rate")
        .agg(pl.col("quantity").sum(), pl.col("event_at").min().alias("first_added_at"))
        .join(catalog.select("product_index", "product_id", "unit_price", "unit_cost"), on="product_index")
        .sort("order_id", "first_added_at", "product_id")
        .with_columns(
            pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("order_id").alias("line_number"),
            (pl.col("quantity") * pl.col("unit_price") * pl.col("discount_rate")).round(2).alias("discount_amount"),
        )
        .select("order_id", "line_number", "product_id", "quantity", "unit_price", "unit_cost", "discount_amount")
    )
    orders = orders.select(
        "order_id",
        "customer_id",
        "session_id",
        "ordered_at",
        "payment_method",
        "device",
        "country_code",
        pl.lit(CURRENCY).alias("currency"),
    )
    return orders, items
