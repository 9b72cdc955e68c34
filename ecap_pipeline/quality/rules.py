"""What every bronze table must satisfy, as plain data, beside the column contracts.

The value domains come from the generator's reference data, so a value the shop cannot produce
(an unknown payment method, a country the shop does not serve) is caught. Each rule has a
severity: an ERROR means the rows are wrong and must not reach the warehouse; a WARN means they
are unusual and worth a look, but the build goes on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ecap_pipeline.generate.campaigns import CAMPAIGN_CHANNELS
from ecap_pipeline.generate.funnel import EVENT_TYPES
from ecap_pipeline.generate.reference import (
    ACQUISITION_CHANNELS,
    BROWSERS,
    CITIES,
    CURRENCY,
    DEVICES,
    PAYMENT_METHODS,
    RETURN_REASONS,
    SEGMENTS,
)


class Severity(StrEnum):
    """ERROR rules block everything downstream of the table; WARN rules only report."""

    ERROR = "ERROR"
    WARN = "WARN"


@dataclass(frozen=True)
class ValueSet:
    """Every non-null value of the column is one of `values`."""

    values: frozenset[str]
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class Range:
    """Every non-null value lies in [min_value, max_value] (bounds optional; `strict_min` excludes the minimum)."""

    min_value: float | None = None
    max_value: float | None = None
    strict_min: bool = False
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class NotBefore:
    """On every row, column `later` is not smaller than column `earlier` (times, prices, counts)."""

    later: str
    earlier: str
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class ForeignKey:
    """Every non-null `columns` value of the table exists as `parent_columns` in bronze `parent` (all days)."""

    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    severity: Severity = Severity.ERROR

    @property
    def orphan_column(self) -> str:
        """The derived column holding the key of each row whose parent is missing (null otherwise)."""
        return f"{'_'.join(self.columns)}_not_in_{self.parent}"


@dataclass(frozen=True)
class TableRules:
    """The rules of one bronze table beyond its column contract (names and types)."""

    key: tuple[str, ...]
    required: tuple[str, ...]
    value_sets: Mapping[str, ValueSet] = field(default_factory=dict)
    ranges: Mapping[str, Range] = field(default_factory=dict)
    on_partition_day: tuple[str, ...] = ()
    """Timestamps (or dates) whose UTC day must be the row's partition date."""
    not_before_partition_day: tuple[str, ...] = ()
    """Timestamps that may come days later than the partition date, never earlier."""
    orderings: tuple[NotBefore, ...] = ()
    patterns: Mapping[str, tuple[str, Severity]] = field(default_factory=dict)
    foreign_keys: tuple[ForeignKey, ...] = ()


COUNTRY_CODES = frozenset(city.country_code for city in CITIES)
_CHANNELS = ValueSet(frozenset(ACQUISITION_CHANNELS))
_DEVICES = ValueSet(frozenset(DEVICES))
_UNKNOWN = "unknown"
"""What a landed shop export records for a value it does not carry (`ecap_pipeline.landing`): the
order's device and payment method, a new customer's channel and segment. Those rows, and the nulls
an export leaves (no email, country, product or unit cost), are valid bronze."""
_COUNTRIES = ValueSet(COUNTRY_CODES)
_LATITUDE = Range(-90, 90)
_LONGITUDE = Range(-180, 180)
_POSITIVE = Range(0, strict_min=True)
_AT_LEAST_ONE = Range(1)
_NOT_NEGATIVE = Range(0)
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

RULES: dict[str, TableRules] = {
    "customers": TableRules(
        key=("customer_id",),
        required=("customer_id", "signup_at", "acquisition_channel", "segment"),
        value_sets={
            "country_code": _COUNTRIES,
            "acquisition_channel": ValueSet(frozenset({*ACQUISITION_CHANNELS, _UNKNOWN})),
            "segment": ValueSet(frozenset({*(segment.name for segment in SEGMENTS), _UNKNOWN})),
            "city": ValueSet(frozenset(city.city for city in CITIES), Severity.WARN),
        },
        ranges={"latitude": _LATITUDE, "longitude": _LONGITUDE},
        on_partition_day=("signup_at",),
        patterns={"email": (_EMAIL, Severity.WARN)},
    ),
    "products": TableRules(
        key=("product_id", "partition_date"),
        required=("product_id", "product_name", "category", "unit_price", "unit_cost"),
        ranges={"unit_price": _POSITIVE, "unit_cost": _POSITIVE},
        orderings=(NotBefore("unit_price", "unit_cost", Severity.WARN),),
    ),
    "sessions": TableRules(
        key=("session_id",),
        required=("session_id", "customer_id", "started_at", "ended_at", "device", "channel"),
        value_sets={
            "device": _DEVICES,
            "browser": ValueSet(frozenset(BROWSERS)),
            "channel": _CHANNELS,
            "country_code": _COUNTRIES,
        },
        on_partition_day=("started_at",),
        orderings=(NotBefore("ended_at", "started_at"),),
        foreign_keys=(
            ForeignKey(("customer_id",), "customers", ("customer_id",)),
            ForeignKey(("campaign_id",), "campaign_spend", ("campaign_id",), Severity.WARN),
        ),
    ),
    "events": TableRules(
        key=("event_id",),
        required=("event_id", "session_id", "customer_id", "event_type", "event_at"),
        value_sets={"event_type": ValueSet(frozenset(EVENT_TYPES))},
        ranges={"quantity": _AT_LEAST_ONE},
        on_partition_day=("event_at",),
        foreign_keys=(
            ForeignKey(("session_id",), "sessions", ("session_id",)),
            ForeignKey(("customer_id",), "customers", ("customer_id",)),
            ForeignKey(("product_id",), "products", ("product_id",), Severity.WARN),
        ),
    ),
    "orders": TableRules(
        key=("order_id",),
        required=("order_id", "customer_id", "ordered_at", "payment_method", "device", "currency"),
        value_sets={
            "payment_method": ValueSet(frozenset({*PAYMENT_METHODS, _UNKNOWN})),
            "device": ValueSet(frozenset({*DEVICES, _UNKNOWN})),
            "country_code": _COUNTRIES,
            "currency": ValueSet(frozenset({CURRENCY})),
        },
        ranges={"latitude": _LATITUDE, "longitude": _LONGITUDE},
        on_partition_day=("ordered_at",),
        foreign_keys=(
            ForeignKey(("customer_id",), "customers", ("customer_id",)),
            ForeignKey(("session_id",), "sessions", ("session_id",), Severity.WARN),
        ),
    ),
    "order_items": TableRules(
        key=("order_id", "line_number"),
        required=("order_id", "line_number", "quantity", "unit_price", "discount_amount"),
        ranges={
            "line_number": _AT_LEAST_ONE,
            "quantity": _AT_LEAST_ONE,
            "unit_price": _POSITIVE,
            "unit_cost": _POSITIVE,
            "discount_amount": _NOT_NEGATIVE,
        },
        orderings=(NotBefore("unit_price", "unit_cost", Severity.WARN),),
        foreign_keys=(
            ForeignKey(("order_id",), "orders", ("order_id",)),
            ForeignKey(("product_id",), "products", ("product_id",)),
        ),
    ),
    "returns": TableRules(
        key=("return_id",),
        required=("return_id", "order_id", "line_number", "quantity", "refund_amount", "returned_at", "reason"),
        value_sets={"reason": ValueSet(frozenset(RETURN_REASONS))},
        ranges={"quantity": _AT_LEAST_ONE, "refund_amount": _NOT_NEGATIVE},
        not_before_partition_day=("returned_at",),
        foreign_keys=(ForeignKey(("order_id", "line_number"), "order_items", ("order_id", "line_number")),),
    ),
    "campaign_spend": TableRules(
        key=("campaign_id", "spend_date"),
        required=("campaign_id", "channel", "spend_date", "spend", "impressions", "clicks"),
        value_sets={"channel": ValueSet(frozenset(CAMPAIGN_CHANNELS))},
        ranges={"spend": _NOT_NEGATIVE, "impressions": _NOT_NEGATIVE, "clicks": _NOT_NEGATIVE},
        on_partition_day=("spend_date",),
        orderings=(NotBefore("impressions", "clicks", Severity.WARN),),
    ),
    "touchpoints": TableRules(
        key=("touchpoint_id",),
        required=("touchpoint_id", "customer_id", "channel", "touchpoint_type", "touched_at"),
        value_sets={
            "channel": _CHANNELS,
            "touchpoint_type": ValueSet(frozenset({"click", "impression", "email_open"})),
        },
        on_partition_day=("touched_at",),
        foreign_keys=(
            ForeignKey(("customer_id",), "customers", ("customer_id",)),
            ForeignKey(("campaign_id",), "campaign_spend", ("campaign_id",), Severity.WARN),
            ForeignKey(("session_id",), "sessions", ("session_id",), Severity.WARN),
        ),
    ),
}
"""The rules of every bronze table, keyed by table name (the same names as the contracts)."""
