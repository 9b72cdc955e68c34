"""Hand-made bronze rows: a clean order with two lines, its customer and session, and a way to validate them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl
import pytest

from ecap_pipeline.lake.contracts import table_schema
from ecap_pipeline.quality.frames import parent_key_columns, with_check_columns
from ecap_pipeline.quality.outcomes import TableOutcome
from ecap_pipeline.quality.validation import validate_tables

DAY = dt.date(2025, 9, 3)
AT = dt.datetime(2025, 9, 3, 14, 30, tzinfo=dt.UTC)
LAKE = {"partition_date": DAY, "_ingested_at": AT, "_batch_id": "run-1", "_source": "unit-test"}

CLEAN: dict[str, list[dict[str, Any]]] = {
    "campaign_spend": [],
    "customers": [
        {"customer_id": "C1", "email": "ada@example.com", "signup_at": AT, "country_code": "GB", "city": "London",
         "latitude": 51.5, "longitude": -0.1, "acquisition_channel": "email", "segment": "new"},
    ],
    "sessions": [
        {"session_id": "S1", "customer_id": "C1", "started_at": AT, "ended_at": AT + dt.timedelta(minutes=9),
         "device": "mobile", "browser": "safari", "channel": "email", "country_code": "GB"},
    ],
    "products": [
        {"product_id": "P1", "product_name": "Pro Kettle", "category": "Home & Kitchen", "unit_price": 30.0,
         "unit_cost": 18.0},
        {"product_id": "P2", "product_name": "Eco Mug", "category": "Home & Kitchen", "unit_price": 8.0,
         "unit_cost": 3.0},
    ],
    "orders": [
        {"order_id": "O1", "customer_id": "C1", "session_id": "S1", "ordered_at": AT, "payment_method": "paypal",
         "device": "mobile", "country_code": "GB", "latitude": 51.5, "longitude": -0.1, "currency": "USD"},
    ],
    "order_items": [
        {"order_id": "O1", "line_number": 1, "product_id": "P1", "quantity": 1, "unit_price": 30.0, "unit_cost": 18.0,
         "discount_amount": 0.0},
        {"order_id": "O1", "line_number": 2, "product_id": "P2", "quantity": 3, "unit_price": 8.0, "unit_cost": 3.0,
         "discount_amount": 2.0},
    ],
}  # fmt: skip

Validate = Callable[..., TableOutcome]


def rows(table: str, records: list[dict[str, Any]]) -> pl.DataFrame:
    """`records` as a frame of `table`'s lake schema; unnamed columns are null, lake columns filled in."""
    schema = table_schema(table)
    return pl.DataFrame([{**LAKE, **record} for record in records], schema=schema)


@pytest.fixture
def validate() -> Validate:
    """`validate(table, changed_rows, **other_tables)`: validate a table whose parents are the CLEAN rows."""

    def run(table: str, records: list[dict[str, Any]], **parents: list[dict[str, Any]]) -> TableOutcome:
        tables: Mapping[str, list[dict[str, Any]]] = {**CLEAN, **parents}
        keys = {
            parent: rows(parent, tables[parent]).select(columns)
            for parent, columns in parent_key_columns(table).items()
        }
        frame = with_check_columns(table, rows(table, records), keys)
        return validate_tables({table: frame}, run_name="unit-test")[table]

    return run
