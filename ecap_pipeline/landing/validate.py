"""Validating a landed file against its table's contract, every row at once.

The outcome splits the file's rows in two, and every row lands in exactly one: `valid` (typed
as the contract says, with the row's business date as `partition_date`) or `quarantined` (the
row number, the first rule broken, every reason, and the raw values as JSON). Nothing is
dropped: `valid.height + quarantined.height` is always the number of rows read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ecap_pipeline.lake.contracts import PARTITION_COLUMN
from ecap_pipeline.landing.checks import Check, column_checks, parsed, text_of, trimmed, typed_of
from ecap_pipeline.landing.contracts import LandingContract

ROW = "_row"
"""The 1-based position of a data row in its file (row 1 is the first row after a CSV header)."""


@dataclass(frozen=True)
class BronzeState:
    """What a file is checked against in bronze, without the rows this file itself already landed.

    `keys`: the key columns of the table's rows in bronze; `order_days`: `order_id` and
    `partition_date` of bronze orders (for tables whose partition is their order's day);
    `references`: per referencing column, the values bronze holds (e.g. every product id).
    """

    keys: pl.DataFrame
    order_days: pl.DataFrame
    references: dict[str, pl.Series]


@dataclass(frozen=True)
class Validated:
    valid: pl.DataFrame
    """The contract's columns, typed, plus `_row` and `partition_date`."""
    quarantined: pl.DataFrame
    """`row_number`, `column`, `rule`, `reason`, `raw`."""


def validate(
    raw: pl.DataFrame, contract: LandingContract, state: BronzeState, *, name: str, now: dt.datetime
) -> Validated:
    """Split the rows of `raw` (text columns, as read) into valid and quarantined rows."""
    frame = raw.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    checks = _file_checks(contract, raw.columns, name)
    absent = [column for column in contract.columns if column not in raw.columns]
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(column) for column in absent)
    frame = frame.with_columns(trimmed(column).alias(text_of(column)) for column in contract.columns)
    frame = frame.with_columns(
        parsed(column, dtype).alias(typed_of(column)) for column, dtype in contract.columns.items()
    )
    for column in contract.columns:
        checks.extend(column_checks(contract, column, now=now))
    frame, date_check = _with_partition_date(frame, contract, state, now=now)
    frame = _with_bronze_marker(frame, contract, state)
    checks.extend([*_key_checks(contract), *date_check, *_reference_checks(contract, state)])
    flags = [f"_broken_{position}" for position in range(len(checks))]
    frame = frame.with_columns(
        check.broken.fill_null(value=False).alias(flag) for check, flag in zip(checks, flags, strict=True)
    ).with_columns(pl.any_horizontal(flags).alias("_broken"))
    valid = frame.filter(~pl.col("_broken")).select(
        ROW,
        *[pl.col(typed_of(column)).cast(dtype).alias(column) for column, dtype in contract.columns.items()],
        PARTITION_COLUMN,
    )
    # messages only for the rows that broke a rule: usually a small share of the file
    broken = frame.filter(pl.col("_broken"))
    quarantined = broken.select(
        pl.col(ROW).alias("row_number"),
        pl.coalesce([pl.when(flag).then(pl.lit(c.column)) for c, flag in zip(checks, flags, strict=True)]).alias(
            "column"
        ),
        pl.coalesce([pl.when(flag).then(pl.lit(c.rule)) for c, flag in zip(checks, flags, strict=True)]).alias("rule"),
        pl.concat_str(
            [_reason(check, flag, name) for check, flag in zip(checks, flags, strict=True)],
            separator="; ",
            ignore_nulls=True,
        ).alias("reason"),
        pl.struct(raw.columns).struct.json_encode().alias("raw") if raw.columns else pl.lit("{}").alias("raw"),
    )
    return Validated(valid, quarantined)


def _reason(check: Check, flag: str, name: str) -> pl.Expr:
    where = f"column {check.column!r}: " if check.column else ""
    message = pl.format(
        "{} row {}: {}{} [{}]", pl.lit(name), pl.col(ROW), pl.lit(where), check.detail, pl.lit(check.rule)
    )
    return pl.when(flag).then(message)


def _file_checks(contract: LandingContract, columns: list[str], name: str) -> list[Check]:
    """Rules on the file's columns, broken by every row: a required column absent, an unknown one."""
    checks = [
        Check("missing_column", column, pl.lit(True), pl.lit(f"required column is missing from {name}"))
        for column in contract.columns
        if column in contract.required and column not in columns
    ]
    known = ", ".join(contract.columns)
    checks.extend(
        Check(
            "unknown_column",
            column,
            pl.lit(True),
            pl.lit(f"the {contract.table} landing contract has no such column (known: {known})"),
        )
        for column in columns
        if column not in contract.columns
    )
    return checks


def _with_partition_date(
    frame: pl.DataFrame, contract: LandingContract, state: BronzeState, *, now: dt.datetime
) -> tuple[pl.DataFrame, list[Check]]:
    """`frame` with each row's business date, and the check that its order exists where it needs one."""
    if contract.date_from_order:
        days = state.order_days.select(
            pl.col("order_id").alias(typed_of("order_id")), pl.col(PARTITION_COLUMN).cast(pl.Date)
        ).unique(typed_of("order_id"))
        joined = frame.join(days, on=typed_of("order_id"), how="left", maintain_order="left")
        unknown = Check(
            "unknown_order",
            "order_id",
            pl.col(typed_of("order_id")).is_not_null() & pl.col(PARTITION_COLUMN).is_null(),
            pl.format("order '{}' is not in bronze orders (land the order first)", pl.col(typed_of("order_id"))),
        )
        return joined, [unknown]
    if contract.business_date is None:
        return frame.with_columns(pl.lit(now.date(), dtype=pl.Date).alias(PARTITION_COLUMN)), []
    return frame.with_columns(pl.col(typed_of(contract.business_date)).cast(pl.Date).alias(PARTITION_COLUMN)), []


def _with_bronze_marker(frame: pl.DataFrame, contract: LandingContract, state: BronzeState) -> pl.DataFrame:
    """`frame` with `_in_bronze`: true where the row's key (and day, for a daily snapshot) is in bronze."""
    on = [typed_of(column) for column in contract.key]
    days = [PARTITION_COLUMN] if contract.snapshot else []
    existing = (
        state.keys.select(
            *[pl.col(column).cast(frame.schema[typed_of(column)]).alias(typed_of(column)) for column in contract.key],
            *[pl.col(day).cast(pl.Date) for day in days],
        )
        .unique()
        .with_columns(pl.lit(True).alias("_in_bronze"))
    )
    return frame.join(existing, on=[*on, *days], how="left", maintain_order="left")


def _key_checks(contract: LandingContract) -> list[Check]:
    """A key may appear once in a file, and not at all among bronze's rows from other sources."""
    typed = [pl.col(typed_of(column)) for column in contract.key]
    complete = pl.all_horizontal(column.is_not_null() for column in typed)
    shown_key = pl.concat_str(typed, separator=", ")
    key_name = ", ".join(contract.key)
    return [
        Check(
            "duplicate_key_in_file",
            key_name,
            complete & pl.struct(typed).is_duplicated(),
            pl.format("{} '{}' appears in {} rows of this file", pl.lit(key_name), shown_key, pl.len().over(typed)),
        ),
        Check(
            "duplicate_key_in_bronze",
            key_name,
            complete & pl.col("_in_bronze").fill_null(value=False),
            pl.format("{} '{}' is already in bronze {}", pl.lit(key_name), shown_key, pl.lit(contract.table)),
        ),
    ]


def _reference_checks(contract: LandingContract, state: BronzeState) -> list[Check]:
    """A column that names rows of another bronze table (a product id) must name existing ones."""
    return [
        Check(
            "unknown_reference",
            column,
            pl.col(typed_of(column)).is_not_null()
            & ~pl.col(typed_of(column)).is_in(state.references[column].implode()),
            pl.format("'{}' is not a {} in bronze {}", pl.col(typed_of(column)), pl.lit(column), pl.lit(table)),
        )
        for column, table in contract.references.items()
    ]
