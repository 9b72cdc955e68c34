"""Materialization metadata people read in the Dagster UI: row counts, schema, a preview, a trend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from dagster import MetadataValue, TableColumn, TableSchema

from resources.warehouse import TableSnapshot

_PREVIEW_ROWS = 5
_BLOCKS = "▁▂▃▄▅▆▇█"
_BAR_WIDTH = 20


def table_metadata(frame: pl.DataFrame, **extra: Any) -> dict[str, Any]:
    """Row count, column schema and a markdown preview of `frame`, plus `extra` entries."""
    schema = TableSchema(columns=[TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()])
    return {
        "dagster/row_count": frame.height,
        "dagster/column_schema": schema,
        "preview": MetadataValue.md(markdown_table(frame.head(_PREVIEW_ROWS))),
        **extra,
    }


def snapshot_metadata(snapshot: TableSnapshot) -> dict[str, Any]:
    """The same entries as `table_metadata`, for a warehouse table read back after it was published."""
    return {
        "dagster/row_count": snapshot.row_count,
        "dagster/column_schema": TableSchema(columns=[TableColumn(name, kind) for name, kind in snapshot.columns]),
        "preview": MetadataValue.md(markdown_table(snapshot.head)),
    }


def markdown_table(frame: pl.DataFrame) -> str:
    """`frame` as a markdown table (nulls as empty cells)."""
    if frame.is_empty():
        return "_no rows_"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join("" if value is None else str(value) for value in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *rows])


def sparkline(values: Sequence[float]) -> str:
    """One block character per value, from ▁ (the smallest) to █ (the largest); flat series sit at ▄."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return _BLOCKS[3] * len(values)
    top = len(_BLOCKS) - 1
    return "".join(_BLOCKS[round((value - low) / (high - low) * top)] for value in values)


def trend_markdown(frame: pl.DataFrame, *, day: str, value: str, label: str) -> str:
    """A day-by-day trend of `value`: a sparkline headline, then a table with a bar per day.

    Bars are scaled to the period's largest value so the eye compares days without reading numbers.
    """
    if frame.is_empty():
        return "_no days yet_"
    ordered = frame.sort(day)
    values = [float(v or 0) for v in ordered[value].to_list()]
    peak = max(*values, 0.0)
    lines = [
        f"**{label}, {len(values)} days:** `{sparkline(values)}` "
        f"(min {min(values):,.2f}, max {max(values):,.2f}, last {values[-1]:,.2f})",
        "",
        f"| {day} | {label} | |",
        "| --- | ---: | --- |",
    ]
    for when, amount in zip(ordered[day].to_list(), values, strict=True):
        bar = "█" * round(amount / peak * _BAR_WIDTH) if peak > 0 and amount > 0 else ""
        lines.append(f"| {when} | {amount:,.2f} | {bar} |")
    return "\n".join(lines)
