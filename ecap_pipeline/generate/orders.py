"""Orders and order lines, derived from the purchase events of a day's clickstream."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.customers import customer_bank_account_ids, customer_card_ids, customer_device_ids
from ecap_pipeline.generate.ids import fingerprints, labels, sequential_ids
from ecap_pipeline.generate.population import customer_city_indexes
from ecap_pipeline.generate.randomness import Stream, day_rng, weighted_pick
from ecap_pipeline.generate.reference import CARD_PAYMENT_METHODS, CITIES, CURRENCY, PAYMENT_METHODS

_METHODS = list(PAYMENT_METHODS)
_GIFT_CARD_DIGITS = 10**12


def orders_from_events(
    config: ShopConfig,
    day: dt.date,
    sessions: pl.DataFrame,
    events: pl.DataFrame,
    products: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One order per session that purchased, and its lines: what was left in that cart.

    Returns (orders, order_items). An order is placed from the customer's home city and usual
    device. Card, PayPal and phone-wallet payments carry the customer's usual card as `card_id`,
    bank transfers their bank account (`B...`), and gift cards a new one-off code (`G...`) each
    time. Lines sum the units added minus the units removed per product, at the catalog price and
    cost; a discount applies to every line of a discounted order.
    """
    rng = day_rng(config.seed, Stream.ORDERS, day)
    behaviour = config.behaviour
    purchases = (
        events.filter(pl.col("event_type") == "purchase")
        .select("session_id", "customer_id", pl.col("event_at").alias("ordered_at"))
        .sort("ordered_at", "session_id")
        .join(sessions.select("session_id", "customer_number", "device", "country_code"), on="session_id", how="left")
    )
    count = purchases.height
    numbers = purchases["customer_number"].to_numpy()
    method = weighted_pick(rng.random(count), list(PAYMENT_METHODS.values()))
    method_names = np.array(_METHODS)[method]
    gift_cards = fingerprints("G", rng.integers(_GIFT_CARD_DIGITS, size=count), name="card_id").to_numpy()
    card_id = np.where(
        np.isin(method_names, list(CARD_PAYMENT_METHODS)),
        customer_card_ids(config, numbers),
        np.where(method_names == "bank_transfer", customer_bank_account_ids(config, numbers), gift_cards),
    )
    discounted = rng.random(count) < behaviour.discount_share
    percentage = np.where(discounted, rng.choice(behaviour.discount_percentages, size=count), 0.0)
    city = customer_city_indexes(config, numbers)
    orders = purchases.with_columns(
        sequential_ids("O", day, count, width=6, name="order_id"),
        labels(_METHODS, method, name="payment_method"),
        pl.Series("card_id", card_id, dtype=pl.String),
        pl.Series("device_id", customer_device_ids(config, numbers), dtype=pl.String),
        pl.Series("latitude", np.array([c.latitude for c in CITIES])[city], dtype=pl.Float64),
        pl.Series("longitude", np.array([c.longitude for c in CITIES])[city], dtype=pl.Float64),
        pl.lit(CURRENCY).alias("currency"),
        pl.Series("discount_rate", percentage),
    )
    return orders.drop("discount_rate", "customer_number"), _order_items(orders, events, products)


def _order_items(orders: pl.DataFrame, events: pl.DataFrame, products: pl.DataFrame) -> pl.DataFrame:
    """Each order's products with the units still in the cart, in the order they were first added."""
    catalog = products.with_row_index("product_index").with_columns(pl.col("product_index").cast(pl.Int64))
    is_add = pl.col("event_type") == "add_to_cart"
    return (
        events.filter(pl.col("event_type").is_in(["add_to_cart", "remove_from_cart"]))
        .join(orders.select("session_id", "order_id", "discount_rate"), on="session_id", how="inner")
        .group_by("order_id", "product_index", "discount_rate")
        .agg(
            pl.when(is_add).then(pl.col("quantity")).otherwise(-pl.col("quantity")).sum(),
            pl.col("event_at").filter(is_add).min().alias("first_added_at"),
        )
        .filter(pl.col("quantity") > 0)
        .join(catalog.select("product_index", "product_id", "unit_price", "unit_cost"), on="product_index")
        .sort("order_id", "first_added_at", "product_id")
        .with_columns(
            pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("order_id").alias("line_number"),
            pl.col("quantity").cast(pl.Int32),
            (pl.col("quantity") * pl.col("unit_price") * pl.col("discount_rate")).round(2).alias("discount_amount"),
        )
        .select("order_id", "line_number", "product_id", "quantity", "unit_price", "unit_cost", "discount_amount")
    )
