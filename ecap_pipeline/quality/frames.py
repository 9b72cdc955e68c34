"""The rows great-expectations validates: a batch of bronze rows plus derived check columns.

Two kinds of rule compare a row with something outside its own columns: "this timestamp falls on
the partition's day" and "this key exists in another table". Deriving one column per such rule
(the timestamp's UTC day; the key when it has no parent, null otherwise) turns both into plain
column expectations, so every rule of a table lives in its one suite and shows in the Data Docs.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import polars as pl
import pyarrow as pa

from ecap_pipeline.lake.contracts import table_schema
from ecap_pipeline.quality.rules import RULES, ForeignKey

_KEY_SEPARATOR = "|"
_NULLABLE_INTEGERS = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
}


def day_column(table: str, column: str) -> str:
    """The column holding `column`'s UTC day: the column itself when it is already a date."""
    return column if table_schema(table)[column] == pl.Date() else f"{column}_day"


def validation_columns(table: str) -> list[str]:
    """The columns of `table`'s validation frame, in order: the lake schema, then the derived ones."""
    rules = RULES[table]
    days = (*rules.on_partition_day, *rules.not_before_partition_day)
    derived = [day_column(table, column) for column in days if day_column(table, column) != column]
    return [*table_schema(table).names(), *derived, *(key.orphan_column for key in rules.foreign_keys)]


def parent_key_columns(table: str) -> dict[str, tuple[str, ...]]:
    """The parent tables `table` refers to, each with the columns its rows point at."""
    return {key.parent: key.parent_columns for key in RULES[table].foreign_keys}


def with_check_columns(table: str, batch: pl.DataFrame, parents: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """`batch` with the derived day and orphan-key columns; `parents` maps a parent table to its keys (all days)."""
    rules = RULES[table]
    days = [
        pl.col(column).dt.date().alias(day_column(table, column))
        for column in (*rules.on_partition_day, *rules.not_before_partition_day)
        if day_column(table, column) != column
    ]
    orphans = [_orphan(key, parents[key.parent]) for key in rules.foreign_keys]
    return batch.with_columns(*days, *orphans)


def to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """`frame` as pandas with stable dtypes, whatever the values: integers stay (nullable) integers
    instead of turning into floats when a null appears, and dates become datetime64 like timestamps."""
    return frame.to_arrow().to_pandas(types_mapper=_NULLABLE_INTEGERS.get, date_as_object=False)


def _orphan(key: ForeignKey, parent: pl.DataFrame) -> pl.Expr:
    known = parent.select(_joined(key.parent_columns)).to_series()
    joined = _joined(key.columns)
    return pl.when(joined.is_in(known.implode()).not_()).then(joined).otherwise(None).alias(key.orphan_column)


def _joined(columns: tuple[str, ...]) -> pl.Expr:
    """One string per row for a (possibly compound) key; null when any part is null."""
    if len(columns) == 1:
        return pl.col(columns[0]).cast(pl.String)
    return pl.concat_str([pl.col(column).cast(pl.String) for column in columns], separator=_KEY_SEPARATOR)
