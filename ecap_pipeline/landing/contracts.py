"""What a file dropped into `landing/<table>/` must hold, per table.

Every contract is derived from the bronze contract (`ecap_pipeline.lake.contracts`): the same
columns and types, plus which columns are required, the ranges numbers must fall in, the sets or
patterns strings must match, the key that may not repeat, and how a row's business date (its
bronze partition) is found. `orders` is the exception: a real shop export carries an order id, a
customer id, a timestamp and an amount, so its landing contract is that minimal export, mapped
into bronze `orders` + `order_items` (+ `customers`) by `ecap_pipeline.landing.orders`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ecap_pipeline.generate.reference import (
    ACQUISITION_CHANNELS,
    BROWSERS,
    DEVICES,
    PAYMENT_METHODS,
    RETURN_REASONS,
    SEGMENTS,
)
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS, UTC_TIMESTAMP

COUNTRY_CODE = r"^[A-Z]{2}$"
CURRENCY_CODE = r"^[A-Z]{3}$"
UNKNOWN = "unknown"
"""The value a landed export gets for a category it does not carry (payment method, device...)."""

EVENT_TYPES = frozenset(
    {
        "page_view",
        "product_view",
        "search",
        "add_to_cart",
        "remove_from_cart",
        "view_cart",
        "begin_checkout",
        "add_shipping_info",
        "add_payment_info",
        "purchase",
        "add_to_wishlist",
        "write_review",
        "login",
        "signup",
    }
)


@dataclass(frozen=True)
class Range:
    """Bounds a number must respect; `None` leaves that side open."""

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True

    def describe(self) -> str:
        parts = []
        if self.low is not None:
            parts.append(f"{'>=' if self.low_inclusive else '>'} {self.low:g}")
        if self.high is not None:
            parts.append(f"<= {self.high:g}")
        return " and ".join(parts)


@dataclass(frozen=True)
class LandingContract:
    """The rules one landed file of `table` is validated against, row by row."""

    table: str
    columns: dict[str, pl.DataType]
    required: frozenset[str]
    key: tuple[str, ...]
    """Columns that identify a row: unique within a file and not already in bronze."""
    business_date: str | None
    """Timestamp or date column whose UTC day is the row's partition; `None`: its order's day
    (`date_from_order`) or, for a snapshot, the day the file lands."""
    date_from_order: bool = False
    """The partition is the day of the row's order in bronze `orders` (order lines, returns)."""
    snapshot: bool = False
    """A daily snapshot (the catalog): the key repeats every day, so bronze is checked per day."""
    ranges: dict[str, Range] = field(default_factory=dict)
    value_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    """Column -> the bronze table whose rows it must name (same column name there), when given."""


def _derived(
    table: str,
    *,
    required: set[str],
    key: tuple[str, ...],
    business_date: str | None,
    date_from_order: bool = False,
    snapshot: bool = False,
    ranges: dict[str, Range] | None = None,
    value_sets: dict[str, frozenset[str]] | None = None,
    patterns: dict[str, str] | None = None,
    references: dict[str, str] | None = None,
) -> LandingContract:
    return LandingContract(
        table=table,
        columns=dict(BRONZE_CONTRACTS[table]),
        required=frozenset(required),
        key=key,
        business_date=business_date,
        date_from_order=date_from_order,
        snapshot=snapshot,
        ranges=ranges or {},
        value_sets=value_sets or {},
        patterns=patterns or {},
        references=references or {},
    )


_LATITUDE = Range(-90, 90)
_LONGITUDE = Range(-180, 180)
_POSITIVE = Range(0, low_inclusive=False)
_NON_NEGATIVE = Range(0)
_AT_LEAST_ONE = Range(1)
_DEVICES = frozenset(DEVICES)

ORDER_EXPORT_COLUMNS: dict[str, pl.DataType] = {
    "order_id": pl.String(),
    "customer_id": pl.String(),
    "ordered_at": UTC_TIMESTAMP,
    "amount": pl.Float64(),  # what the customer paid for the order, after discounts
    "product_id": pl.String(),
    "quantity": pl.Int32(),
    "country_code": pl.String(),
    "payment_method": pl.String(),
    "device": pl.String(),
    "currency": pl.String(),
    "session_id": pl.String(),
}

LANDING_CONTRACTS: dict[str, LandingContract] = {
    "customers": _derived(
        "customers",
        required={"customer_id", "signup_at"},
        key=("customer_id",),
        business_date="signup_at",
        ranges={"latitude": _LATITUDE, "longitude": _LONGITUDE},
        value_sets={
            "acquisition_channel": frozenset(ACQUISITION_CHANNELS) | {UNKNOWN},
            "segment": frozenset(segment.name for segment in SEGMENTS) | {UNKNOWN},
        },
        patterns={"country_code": COUNTRY_CODE},
    ),
    # a landed catalog is that day's snapshot: its partition is the day it is ingested
    "products": _derived(
        "products",
        required={"product_id", "product_name", "category", "unit_price"},
        key=("product_id",),
        business_date=None,
        snapshot=True,
        ranges={"unit_price": _POSITIVE, "unit_cost": _NON_NEGATIVE},
    ),
    "sessions": _derived(
        "sessions",
        required={"session_id", "started_at", "device", "channel"},
        key=("session_id",),
        business_date="started_at",
        value_sets={"device": _DEVICES, "browser": frozenset(BROWSERS), "channel": frozenset(ACQUISITION_CHANNELS)},
        patterns={"country_code": COUNTRY_CODE},
    ),
    "events": _derived(
        "events",
        required={"event_id", "session_id", "event_type", "event_at"},
        key=("event_id",),
        business_date="event_at",
        ranges={"quantity": _AT_LEAST_ONE},
        value_sets={"event_type": EVENT_TYPES},
        references={"product_id": "products"},
    ),
    "orders": LandingContract(
        table="orders",
        columns=ORDER_EXPORT_COLUMNS,
        required=frozenset({"order_id", "customer_id", "ordered_at", "amount"}),
        key=("order_id",),
        business_date="ordered_at",
        ranges={"amount": _POSITIVE, "quantity": _AT_LEAST_ONE},
        value_sets={"payment_method": frozenset(PAYMENT_METHODS) | {UNKNOWN}, "device": _DEVICES | {UNKNOWN}},
        patterns={"country_code": COUNTRY_CODE, "currency": CURRENCY_CODE},
        references={"product_id": "products"},
    ),
    "order_items": _derived(
        "order_items",
        required={"order_id", "line_number", "product_id", "quantity", "unit_price"},
        key=("order_id", "line_number"),
        business_date=None,
        date_from_order=True,
        ranges={
            "line_number": _AT_LEAST_ONE,
            "quantity": _AT_LEAST_ONE,
            "unit_price": _POSITIVE,
            "unit_cost": _NON_NEGATIVE,
            "discount_amount": _NON_NEGATIVE,
        },
        references={"product_id": "products"},
    ),
    "returns": _derived(
        "returns",
        required={"return_id", "order_id", "line_number", "quantity", "refund_amount", "returned_at"},
        key=("return_id",),
        business_date=None,
        date_from_order=True,
        ranges={"line_number": _AT_LEAST_ONE, "quantity": _AT_LEAST_ONE, "refund_amount": _NON_NEGATIVE},
        value_sets={"reason": frozenset(RETURN_REASONS)},
    ),
    "campaign_spend": _derived(
        "campaign_spend",
        required={"campaign_id", "channel", "spend_date", "spend"},
        key=("campaign_id", "spend_date"),
        business_date="spend_date",
        ranges={"spend": _NON_NEGATIVE, "impressions": _NON_NEGATIVE, "clicks": _NON_NEGATIVE},
        value_sets={"channel": frozenset(ACQUISITION_CHANNELS)},
    ),
    "touchpoints": _derived(
        "touchpoints",
        required={"touchpoint_id", "customer_id", "channel", "touchpoint_type", "touched_at"},
        key=("touchpoint_id",),
        business_date="touched_at",
        value_sets={
            "channel": frozenset(ACQUISITION_CHANNELS),
            "touchpoint_type": frozenset({"click", "impression", "email_open"}),
        },
    ),
}

LANDING_TABLES: tuple[str, ...] = tuple(LANDING_CONTRACTS)


def landing_contract(table: str) -> LandingContract:
    """The landing contract of `table`; a clear error for a table that takes no landed files."""
    try:
        return LANDING_CONTRACTS[table]
    except KeyError:
        msg = f"no landing contract for table {table!r}; files can be landed for: {', '.join(LANDING_TABLES)}"
        raise KeyError(msg) from None
