"""Returns and refunds: some order lines come back days after the order.

A return is generated with its order (same day's partition), so rebuilding one day never touches
another; only `returned_at` lies in the future. How often a line comes back depends on its
category (fashion far more than groceries).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.ids import labels, sequential_ids
from ecap_pipeline.generate.randomness import Stream, day_rng, weighted_pick
from ecap_pipeline.generate.reference import RETURN_REASONS

_WHOLE_LINE = 0.75
"""Probability that a returned multi-unit line comes back entirely rather than in part."""
_DAY_MICROSECONDS = 86_400 * 1_000_000


def returns_for_orders(
    config: ShopConfig, day: dt.date, orders: pl.DataFrame, items: pl.DataFrame, products: pl.DataFrame
) -> pl.DataFrame:
    """The returns of the order lines placed on `day`.

    `products` needs product_id and return_rate. The refund is the returned share of the line's
    net amount (after discount), never more; `returned_at` is 1 to `return_window_days` days
    after the order.
    """
    rng = day_rng(config.seed, Stream.RETURNS, day)
    lines = items.join(orders.select("order_id", "ordered_at"), on="order_id", how="left").join(
        products.select("product_id", "return_rate"), on="product_id", how="left"
    )
    returned = lines.filter(pl.Series(rng.random(lines.height) < lines["return_rate"].to_numpy()))
    count = returned.height
    quantity = returned["quantity"].to_numpy().astype(np.int64)
    partial = 1 + np.floor(rng.random(count) * np.maximum(quantity - 1, 1)).astype(np.int64)
    returned_quantity = np.where((rng.random(count) < _WHOLE_LINE) | (quantity == 1), quantity, partial)
    window = config.behaviour.return_window_days
    delay = np.round(_DAY_MICROSECONDS * (1.0 + rng.random(count) * (window - 1))).astype(np.int64)
    reason = weighted_pick(rng.random(count), list(RETURN_REASONS.values()))
    net = pl.col("quantity") * pl.col("unit_price") - pl.col("discount_amount")
    return returned.with_columns(
        sequential_ids("R", day, count, width=6, name="return_id"),
        pl.Series("returned_quantity", returned_quantity, dtype=pl.Int32),
        (pl.col("ordered_at") + pl.Series(delay).cast(pl.Duration("us"))).alias("returned_at"),
        labels(list(RETURN_REASONS), reason, name="reason"),
    ).select(
        "return_id",
        "order_id",
        "line_number",
        "product_id",
        pl.col("returned_quantity").alias("quantity"),
        pl.min_horizontal((net * pl.col("returned_quantity") / pl.col("quantity")).round(2), net.round(2)).alias(
            "refund_amount"
        ),
        "returned_at",
        "reason",
    )
