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
        "subcategory": pl.String(),
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
        "browser": pl.String(),
        "channel": pl.String(),
        "referrer": pl.String(),  # referring host; null for direct visits
        "campaign_id": pl.String(),  # the campaign whose touchpoint opened the session; null if none
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
        "card_id": pl.String(),  # payment instrument fingerprint; the same card keeps its id
        "device": pl.String(),
        "device_id": pl.String(),  # the customer's usual device, or another one
        "country_code": pl.String(),  # where the order was placed from (geolocated)
        "latitude": pl.Float64(),
        "longitude": pl.Float64(),
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
    # partition_date = the day of the original order (a return is generated with its order), so
    # rebuilding one day never touches another; returned_at is days later.
    "returns": {
        "return_id": pl.String(),
        "order_id": pl.String(),
        "line_number": pl.Int32(),
        "product_id": pl.String(),
        "quantity": pl.Int32(),
        "refund_amount": pl.Float64(),
        "returned_at": UTC_TIMESTAMP,
        "reason": pl.String(),
    },
    # partition_date = the spend day: one row per campaign per day.
    "campaign_spend": {
        "campaign_id": pl.String(),
        "campaign_name": pl.String(),
        "channel": pl.String(),
        "spend_date": pl.Date(),
        "spend": pl.Float64(),
        "impressions": pl.Int64(),
        "clicks": pl.Int64(),
    },
    # partition_date = the day of the touch: ad clicks that open sessions, and exposures (ad
    # impressions, emails) that do not.
    "touchpoints": {
        "touchpoint_id": pl.String(),
        "customer_id": pl.String(),
        "campaign_id": pl.String(),  # null for organic and direct touches
        "channel": pl.String(),
        "touchpoint_type": pl.String(),  # click, impression, email_open
        "touched_at": UTC_TIMESTAMP,
        "session_id": pl.String(),  # the session a click opened; null for exposures
    },
}

GROUND_TRUTH_CONTRACTS: dict[str, dict[str, pl.DataType]] = {
    # partition_date = the signup day. When each customer's latent lifetime ends: after
    # dropout_at they never visit or order again. Only model evaluation reads this.
    "customer_lifetimes": {
        "customer_id": pl.String(),
        "segment": pl.String(),
        "signup_at": UTC_TIMESTAMP,
        "dropout_at": UTC_TIMESTAMP,
    },
    # partition_date = the order day. Every injected fraudulent order and its pattern.
    "fraud_labels": {
        "order_id": pl.String(),
        "customer_id": pl.String(),
        "pattern": pl.String(),
    },
}

BRONZE_TABLES: tuple[str, ...] = tuple(BRONZE_CONTRACTS)
GROUND_TRUTH_TABLES: tuple[str, ...] = tuple(GROUND_TRUTH_CONTRACTS)

_ZONES: dict[str, dict[str, dict[str, pl.DataType]]] = {
    "bronze": BRONZE_CONTRACTS,
    "ground_truth": GROUND_TRUTH_CONTRACTS,
}
"""Lake zones: `bronze` is what the warehouse reads; `ground_truth` is the generator's hidden
truth (who really churned, which orders were fraud), kept apart so no mart can read it by mistake."""


def zone_of(table: str) -> str:
    """The lake zone (`bronze` or `ground_truth`) that holds `table`."""
    for zone, contracts in _ZONES.items():
        if table in contracts:
            return zone
    known = ", ".join((*BRONZE_TABLES, *GROUND_TRUTH_TABLES))
    msg = f"unknown lake table {table!r}; known tables: {known}"
    raise KeyError(msg)


def table_schema(table: str) -> pl.Schema:
    """The full lake schema of `table`: its contract columns followed by the lake columns."""
    return pl.Schema({**_ZONES[zone_of(table)][table], **LAKE_COLUMNS})
