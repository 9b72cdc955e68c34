"""Column contracts of the bronze tables.

One place states what every bronze table holds, so the generator, the Delta writer, the dbt
sources and the tests agree. Every table also carries the lake columns in `LAKE_COLUMNS`.
"""

from __future__ import annotations

import polars as pl

PARTITION_COLUMN = "partition_date"

UTC_TIMESTAMP = pl.Datetime("us", "UTC")

LAKE_COLUMNS: dict[str, pl.DataType] = {
    PARTITION_COLUMN: pl.Date(),
    "_ingested_at": UTC_TIMESTAMP,
    "_batch_id": pl.String(),
    "_source": pl.String(),
}

BRONZE_CONTRACTS: dict[str, dict[str, pl.DataType]] = {
    # partition_date = the signup day: each customer lands once, on the day they sign up.
    "customers": {
        "customer_id": pl.String(),
        "first_name": pl.String(),
        "last_name": pl.String(),
        "email": pl.String(),
        "signup_at": UTC_TIMESTAMP,
        "country_code": pl.String(),
        "region": pl.String(),
        "city": pl.String(),
        "latitude": pl.Float64(),
        "longitude": pl.Float64(),
        "acquisition_channel": pl.String(),
        "segment": pl.String(),
    },
    # partition_date = the snapshot day: the whole active catalog as it stood that day.
    "products": {
        "product_id": pl.String(),
        "product_name": pl.String(),
        "category": pl.String(),
        "brand": pl.String(),
        "unit_price": pl.Float64(),
        "unit_cost": pl.Float64(),
    },
    # partition_date = the day the session started.
    "sessions": {
        "session_id": pl.String(),
        "customer_id": pl.String(),
        "started_at": UTC_TIMESTAMP,
        "ended_at": UTC_TIMESTAMP,
        "device": pl.String(),
        "channel": pl.String(),
        "country_code": pl.String(),
    },
    # partition_date = the day of the event.
    "events": {
        "event_id": pl.String(),
        "session_id": pl.String(),
        "customer_id": pl.String(),
        "event_type": pl.String(),
        "event_at": UTC_TIMESTAMP,
        "product_id": pl.String(),
        "quantity": pl.Int32(),
    },
    # partition_date = the day the order was placed.
    "orders": {
        "order_id": pl.String(),
        "customer_id": pl.String(),
        "session_id": pl.String(),
        "ordered_at": UTC_TIMESTAMP,
        "payment_method": pl.String(),
        "device": pl.String(),
        "country_code": pl.String(),
        "currency": pl.String(),
    },
    # partition_date = the day the order was placed.
    "order_items": {
        "order_id": pl.String(),
        "line_number": pl.Int32(),
        "product_id": pl.String(),
        "quantity": pl.Int32(),
        "unit_price": pl.Float64(),
        "unit_cost": pl.Float64(),
        "discount_amount": pl.Float64(),
    },
}

BRONZE_TABLES: tuple[str, ...] = tuple(BRONZE_CONTRACTS)


def bronze_schema(table: str) -> pl.Schema:
    """The full bronze schema of `table`: its contract columns followed by the lake columns."""
    if table not in BRONZE_CONTRACTS:
        msg = f"unknown bronze table {table!r}; known tables: {', '.join(BRONZE_TABLES)}"
        raise KeyError(msg)
    return pl.Schema({**BRONZE_CONTRACTS[table], **LAKE_COLUMNS})
