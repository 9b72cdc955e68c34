"""Hand-made transactions for the fraud tests: a customer's calm history, and orders built to break a rule."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ecap_pipeline.ml.fraud_features import TRANSACTION_SCHEMA

CITIES = {"berlin": ("DE", 52.52, 13.405), "munich": ("DE", 48.137, 11.575), "new_york": ("US", 40.713, -74.006)}
DAY = dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC)
"""A Monday, 10:00 UTC: the day the designed orders are placed."""


def order(
    order_id: str,
    customer: str,
    at: dt.datetime,
    amount: float,
    *,
    device: str | None = None,
    card: str | None = None,
    city: str = "berlin",
    home: str = "berlin",
) -> dict[str, object]:
    """One transaction row; by default from home, on the usual device (`D<customer>`) and card (`K<customer>`)."""
    country, latitude, longitude = CITIES[city]
    home_country, home_latitude, home_longitude = CITIES[home]
    return {
        "order_id": order_id,
        "customer_id": customer,
        "ordered_at": at,
        "card_id": card or f"K{customer}",
        "device_id": device or f"D{customer}",
        "country_code": country,
        "latitude": latitude,
        "longitude": longitude,
        "amount": amount,
        "item_count": 1,
        "units": 1,
        "home_country_code": home_country,
        "home_latitude": home_latitude,
        "home_longitude": home_longitude,
        "signed_up_at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        "discount_amount": 0.0,
        "min_unit_price": amount,
        "max_line_quantity": 1,
    }


def calm_history(customer: str) -> list[dict[str, object]]:
    """Four ordinary orders a week apart before DAY: home, usual device and card, 45-55 each."""
    return [
        order(f"{customer}-h{week}", customer, DAY - dt.timedelta(weeks=week), amount)
        for week, amount in zip((5, 4, 3, 2), (50.0, 45.0, 55.0, 50.0), strict=True)
    ]


def frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    """Rows as a transactions frame in TRANSACTION_SCHEMA."""
    return pl.DataFrame(rows, schema=TRANSACTION_SCHEMA)
