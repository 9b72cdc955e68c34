"""The row-level rules of a landing contract, as vectorised polars expressions.

Each rule is a `Check`: an expression that is true on the rows breaking it, and one that says,
for such a row, what is wrong with its value. Both read the working columns `_text_<column>`
(the raw value, trimmed) and `_typed_<column>` (parsed), computed once per file.
`ecap_pipeline.landing.validate` evaluates every rule at once and sends every row that breaks at
least one to quarantine; the messages are only built for those rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ecap_pipeline.lake.contracts import UTC_TIMESTAMP
from ecap_pipeline.landing.contracts import LandingContract

MAX_VALUE_CHARS = 4096
"""Longest value a landed field may hold: ids, names and numbers are far shorter, so a longer one
is a broken export (a missing quote swallowing lines, binary garbage), not data."""

_TIMESTAMP_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    "%Y-%m-%d %H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
)
TIMESTAMP_HELP = "ISO 8601 such as 2025-09-08T14:30:00Z (no offset means UTC; a bare date means midnight UTC)"


@dataclass(frozen=True)
class Check:
    """One rule on one column: which rows break it and what to tell the user about each."""

    rule: str
    column: str | None
    broken: pl.Expr
    detail: pl.Expr


def text_of(column: str) -> str:
    """Name of the working column that holds `column`'s raw value, trimmed (null when empty)."""
    return f"_text_{column}"


def typed_of(column: str) -> str:
    """Name of the working column that holds `column` parsed to its contract type."""
    return f"_typed_{column}"


def trimmed(column: str) -> pl.Expr:
    """The raw value of `column`, trimmed, with an empty field read as missing."""
    stripped = pl.col(column).str.strip_chars()
    return pl.when(stripped.str.len_chars() > 0).then(stripped)


def shown(column: str) -> pl.Expr:
    """The raw value as quoted in a message: at most 60 characters."""
    value = pl.col(text_of(column))
    return pl.when(value.str.len_chars() > 60).then(value.str.slice(0, 57) + "...").otherwise(value)


def parsed(column: str, dtype: pl.DataType) -> pl.Expr:
    """The trimmed text of `column` parsed to `dtype`; null where missing or not of that type."""
    value = pl.col(text_of(column))
    if dtype == UTC_TIMESTAMP:
        attempts = [
            value.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC") for fmt in _TIMESTAMP_FORMATS
        ]
        midnight = value.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
        return pl.coalesce([*attempts, midnight])
    if dtype == pl.Date():
        return value.str.to_date("%Y-%m-%d", strict=False)
    if dtype.is_float():
        number = value.cast(dtype, strict=False)
        return pl.when(number.is_finite()).then(number)
    if dtype.is_numeric():
        return value.cast(dtype, strict=False)
    return value


def column_checks(contract: LandingContract, column: str, *, now: dt.datetime) -> list[Check]:
    """Every rule `contract` sets on `column`, in the order a user would fix them."""
    dtype = contract.columns[column]
    value, typed = pl.col(text_of(column)), pl.col(typed_of(column))
    present = value.is_not_null()
    checks = [
        Check(
            "value_too_long",
            column,
            value.str.len_chars() > MAX_VALUE_CHARS,
            pl.format("value of {} characters, longer than the limit of {}", value.str.len_chars(), MAX_VALUE_CHARS),
        )
    ]
    if column in contract.required:
        checks.append(Check("required_value_missing", column, ~present, pl.lit("required value is missing")))
    if dtype.is_temporal():
        expected = TIMESTAMP_HELP if dtype == UTC_TIMESTAMP else "a date as YYYY-MM-DD"
        checks.append(
            Check(
                "unparseable_timestamp",
                column,
                present & typed.is_null(),
                pl.format("'{}' is not {}", shown(column), pl.lit(expected)),
            )
        )
        limit = now if dtype == UTC_TIMESTAMP else now.date()
        checks.append(
            Check(
                "timestamp_in_future",
                column,
                typed > pl.lit(limit),
                pl.format(
                    "'{}' is in the future (now is {})", shown(column), pl.lit(now.isoformat(timespec="seconds"))
                ),
            )
        )
    elif dtype != pl.String():
        checks.append(
            Check(
                "wrong_type",
                column,
                present & typed.is_null(),
                pl.format("'{}' is not {}", shown(column), pl.lit(_type_name(dtype))),
            )
        )
    if column in contract.ranges:
        bounds = contract.ranges[column]
        outside = pl.lit(False)
        if bounds.low is not None:
            outside = outside | (typed < bounds.low if bounds.low_inclusive else typed <= bounds.low)
        if bounds.high is not None:
            outside = outside | (typed > bounds.high)
        checks.append(
            Check("out_of_range", column, outside, pl.format("{} is not {}", typed, pl.lit(bounds.describe())))
        )
    if column in contract.value_sets:
        allowed = sorted(contract.value_sets[column])
        checks.append(
            Check(
                "not_in_value_set",
                column,
                present & ~value.is_in(allowed),
                pl.format("'{}' is not one of {}", shown(column), pl.lit(", ".join(allowed))),
            )
        )
    if column in contract.patterns:
        pattern = contract.patterns[column]
        checks.append(
            Check(
                "bad_format",
                column,
                present & ~value.str.contains(pattern),
                pl.format("'{}' does not match {}", shown(column), pl.lit(pattern)),
            )
        )
    return checks


def _type_name(dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return "a whole number"
    if dtype.is_float():
        return "a finite decimal number"
    return str(dtype)
