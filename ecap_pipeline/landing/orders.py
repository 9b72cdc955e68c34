"""Mapping a shop's order export (one row per order: order id, customer id, time, amount) into bronze.

The warehouse reads orders from two bronze tables, so each valid export row becomes one
`orders` row and one `order_items` line, and a customer bronze has never seen gets a
`customers` row, so the marts (RFM, CLV, revenue...) count them like any other. What an export
does not carry gets a documented default:

- `orders.payment_method`, `orders.device`: the export's value, else `unknown`;
- `orders.currency`: the export's value, else the shop currency (`USD`);
- `orders.session_id`: the export's value, else null; `card_id`, `device_id`, `latitude`,
  `longitude`: null;
- `order_items`: one line per order, `line_number` 1, the export's `product_id` (else null: an
  unknown product) and `quantity` (else 1); unit price = amount / quantity rounded up to the
  cent, and `discount_amount` absorbs that rounding, so the line's net revenue is exactly the
  amount; `unit_cost` = the product's latest unit cost in bronze, else null (unknown);
- `customers`, for ids bronze has never seen: signed up at their first order in the file, the
  order's country, `acquisition_channel` and `segment` `unknown`, no name, email or city.
"""

from __future__ import annotations

import polars as pl

from ecap_pipeline.generate.reference import CURRENCY
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS, PARTITION_COLUMN
from ecap_pipeline.landing.contracts import UNKNOWN


def orders_from_export(
    valid: pl.DataFrame, *, known_customers: pl.Series, unit_costs: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """Bronze `orders`, `order_items` and `customers` rows (contract columns and `partition_date`) of a valid export.

    `known_customers`: customer ids bronze already has; `unit_costs`: `product_id`, `unit_cost`
    (each product's latest cost).
    """
    orders = valid.select(
        "order_id",
        "customer_id",
        "session_id",
        "ordered_at",
        pl.col("payment_method").fill_null(UNKNOWN),
        pl.lit(None, dtype=pl.String).alias("card_id"),
        pl.col("device").fill_null(UNKNOWN),
        pl.lit(None, dtype=pl.String).alias("device_id"),
        "country_code",
        pl.lit(None, dtype=pl.Float64).alias("latitude"),
        pl.lit(None, dtype=pl.Float64).alias("longitude"),
        pl.col("currency").fill_null(CURRENCY),
        PARTITION_COLUMN,
    )
    quantity = pl.col("quantity").fill_null(1)
    unit_price = (pl.col("amount") * 100 / quantity).round(6).ceil() / 100
    items = (
        valid.join(unit_costs.select("product_id", "unit_cost"), on="product_id", how="left", maintain_order="left")
        .with_columns(quantity.alias("quantity"), unit_price.alias("unit_price"))
        .select(
            "order_id",
            pl.lit(1, dtype=pl.Int32).alias("line_number"),
            "product_id",
            "quantity",
            "unit_price",
            "unit_cost",
            (pl.col("unit_price") * pl.col("quantity") - pl.col("amount")).round(2).alias("discount_amount"),
            PARTITION_COLUMN,
        )
    )
    customers = (
        valid.filter(~pl.col("customer_id").is_in(known_customers.implode()))
        .sort("ordered_at", "order_id")
        .group_by("customer_id", maintain_order=True)
        .agg(pl.col("ordered_at").first().alias("signup_at"), pl.col("country_code").drop_nulls().first())
        .select(
            "customer_id",
            *[pl.lit(None, dtype=pl.String).alias(column) for column in ("first_name", "last_name", "email")],
            "signup_at",
            "country_code",
            *[pl.lit(None, dtype=pl.String).alias(column) for column in ("region", "city")],
            *[pl.lit(None, dtype=pl.Float64).alias(column) for column in ("latitude", "longitude")],
            pl.lit(UNKNOWN).alias("acquisition_channel"),
            pl.lit(UNKNOWN).alias("segment"),
            pl.col("signup_at").dt.date().alias(PARTITION_COLUMN),
        )
    )
    frames = {"orders": orders, "order_items": items, "customers": customers}
    return {table: _conform(table, frame) for table, frame in frames.items()}


def _conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with exactly the bronze contract's columns and types, then `partition_date`."""
    contract = BRONZE_CONTRACTS[table]
    return frame.select(*[pl.col(column).cast(dtype) for column, dtype in contract.items()], PARTITION_COLUMN)
