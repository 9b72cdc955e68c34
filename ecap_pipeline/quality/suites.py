"""One great-expectations suite per bronze table, built from its column contract and its rules.

Each expectation carries its severity (GX `critical` for ERROR, `warning` for WARN) and a
description people read in the check results and the Data Docs.
"""

from __future__ import annotations

import great_expectations as gx
import polars as pl
from great_expectations.expectations import Expectation
from great_expectations.expectations.metadata_types import FailureSeverity

from ecap_pipeline.lake.contracts import PARTITION_COLUMN, table_schema
from ecap_pipeline.quality.frames import day_column, validation_columns
from ecap_pipeline.quality.rules import RULES, Severity

E = gx.expectations

GX_SEVERITY: dict[Severity, FailureSeverity] = {
    Severity.ERROR: FailureSeverity.CRITICAL,
    Severity.WARN: FailureSeverity.WARNING,
}
SEVERITY_OF: dict[FailureSeverity, Severity] = {gx_level: level for level, gx_level in GX_SEVERITY.items()}


def gx_type_name(dtype: pl.DataType) -> str:
    """The type name great-expectations sees for a column of `dtype` once `frames.to_pandas` converted it."""
    if dtype == pl.String():
        return "str"
    if isinstance(dtype, pl.Datetime):
        return "Timestamp" if dtype.time_zone else "datetime64"
    if dtype == pl.Date():
        return "datetime64"
    return str(dtype).lower()


def build_suite(table: str) -> gx.ExpectationSuite:
    """The expectation suite of bronze `table`: schema and types, keys, values, days, references."""
    return gx.ExpectationSuite(name=f"bronze.{table}", expectations=list(_expectations(table)))


def _expectations(table: str) -> list[Expectation]:
    rules = RULES[table]
    error = GX_SEVERITY[Severity.ERROR]
    found: list[Expectation] = [
        E.ExpectTableColumnsToMatchOrderedList(
            column_list=validation_columns(table),
            severity=error,
            description=f"The columns of {table} are its contract's, in order (plus the derived check columns).",
        ),
        *(
            E.ExpectColumnValuesToBeOfType(
                column=column, type_=gx_type_name(dtype), severity=error, description=f"{column} is {dtype}."
            )
            for column, dtype in table_schema(table).items()
        ),
        *(
            E.ExpectColumnValuesToNotBeNull(column=column, severity=error, description=f"{column} is always set.")
            for column in rules.required
        ),
        _key_expectation(rules.key, error),
    ]
    for column, allowed in rules.value_sets.items():
        found.append(
            E.ExpectColumnValuesToBeInSet(
                column=column,
                value_set=sorted(allowed.values),
                severity=GX_SEVERITY[allowed.severity],
                description=f"{column} is one of the shop's known values.",
            )
        )
    for column, bounds in rules.ranges.items():
        found.append(
            E.ExpectColumnValuesToBeBetween(
                column=column,
                min_value=bounds.min_value,
                max_value=bounds.max_value,
                strict_min=bounds.strict_min,
                severity=GX_SEVERITY[bounds.severity],
                description=f"{column} is {_range_text(bounds.min_value, bounds.max_value, strict=bounds.strict_min)}.",
            )
        )
    for column in rules.on_partition_day:
        found.append(
            E.ExpectColumnPairValuesToBeEqual(
                column_A=day_column(table, column),
                column_B=PARTITION_COLUMN,
                ignore_row_if="either_value_is_missing",
                severity=error,
                description=f"{column} falls on the row's partition day (UTC).",
            )
        )
    for column in rules.not_before_partition_day:
        found.append(
            E.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=day_column(table, column),
                column_B=PARTITION_COLUMN,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                severity=error,
                description=f"{column} is not before the row's partition day (UTC).",
            )
        )
    for ordering in rules.orderings:
        found.append(
            E.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=ordering.later,
                column_B=ordering.earlier,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                severity=GX_SEVERITY[ordering.severity],
                description=f"{ordering.later} is never below {ordering.earlier}.",
            )
        )
    for column, (pattern, severity) in rules.patterns.items():
        found.append(
            E.ExpectColumnValuesToMatchRegex(
                column=column, regex=pattern, severity=GX_SEVERITY[severity], description=f"{column} is well formed."
            )
        )
    for key in rules.foreign_keys:
        columns = ", ".join(key.columns)
        found.append(
            E.ExpectColumnValuesToBeNull(
                column=key.orphan_column,
                severity=GX_SEVERITY[key.severity],
                description=f"Every {columns} exists in bronze {key.parent} (any day).",
            )
        )
    return found


def _key_expectation(key: tuple[str, ...], severity: FailureSeverity) -> Expectation:
    if len(key) == 1:
        return E.ExpectColumnValuesToBeUnique(column=key[0], severity=severity, description=f"{key[0]} is unique.")
    return E.ExpectCompoundColumnsToBeUnique(
        column_list=list(key), severity=severity, description=f"({', '.join(key)}) is unique."
    )


def _range_text(low: float | None, high: float | None, *, strict: bool) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    if low is not None:
        return f"{'above' if strict else 'at least'} {low:g}"
    return f"at most {high:g}"
