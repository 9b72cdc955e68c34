"""Materialization metadata people read in the Dagster UI: row counts, schema, a preview."""

from __future__ import annotations

from typing import Any

import polars as pl
from dagster import MetadataValue, TableColumn, TableSchema

_PREVIEW_ROWS = 5


def table_metadata(frame: pl.DataFrame, **extra: Any) -> dict[str, Any]:
    """Row count, column schema and a markdown preview of `frame`, plus `extra` entries."""
    schema = TableSchema(columns=[TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()])
    return {
        "dagster/row_count": frame.height,
        "dagster/column_schema": schema,
        "preview": MetadataValue.md(markdown_table(frame.head(_PREVIEW_ROWS))),
        **extra,
    }


def markdown_table(frame: pl.DataFrame) -> str:
    """`frame` as a markdown table (nulls as empty cells)."""
    if frame.is_empty():
        return "_no rows_"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join("" if value is None else str(value) for value in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *rows])
