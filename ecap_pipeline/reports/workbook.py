"""The Excel export: one sheet per key mart, for the people who live in spreadsheets.

Every row of each mart is written, so a sheet's row count (below its header) equals the mart's;
headers are bold and frozen, with a filter, so a sheet reads like a table on opening.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ecap_pipeline.reports.marts import MartReader, open_marts

WORKBOOK_MARTS: tuple[str, ...] = (
    "revenue_trend_daily",
    "revenue_by_dimension_monthly",
    "customer_rfm",
    "customer_clv",
    "cohort_retention",
    "funnel_daily",
    "attribution_model_comparison",
    "geography_by_country",
    "product_performance",
    "market_basket_pairs",
    "seasonal_indexes",
)
"""The marts people ask for in a spreadsheet, in sheet order; the big facts stay in the warehouse."""
EXCEL_MAX_ROWS = 1_048_576
_MAX_WIDTH = 40


@dataclass(frozen=True)
class WorkbookResult:
    """What was written: rows per sheet, marts the warehouse did not hold, size and time."""

    path: Path
    size_bytes: int
    sheets: dict[str, int]
    missing: tuple[str, ...]
    seconds: float


def _excel_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """Decimals as floats, durations and times as text: what a cell can hold."""
    casts = [
        pl.col(name).cast(pl.Float64) if dtype.is_decimal() else pl.col(name).cast(pl.String)
        for name, dtype in frame.schema.items()
        if dtype.is_decimal() or isinstance(dtype, pl.Duration | pl.Time | pl.Binary)
    ]
    return frame.with_columns(casts) if casts else frame


def write_sheet(workbook: xlsxwriter.Workbook, worksheet: Worksheet, frame: pl.DataFrame) -> None:
    """`frame` with a bold, frozen, filterable header row and columns wide enough to read."""
    header = workbook.add_format({"bold": True, "bg_color": "#1f4e79", "font_color": "#ffffff", "border": 1})
    formats: dict[type, Any] = {
        pl.Datetime: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        pl.Date: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        pl.Float64: workbook.add_format({"num_format": "#,##0.00"}),
    }
    column_formats = [formats.get(type(dtype)) for dtype in frame.dtypes]
    for column, name in enumerate(frame.columns):
        worksheet.write_string(0, column, name, header)
        sample = frame[name].head(50).cast(pl.String).str.len_chars().max() or 0
        width = min(max(len(name), int(sample)) + 2, _MAX_WIDTH)  # type: ignore[arg-type]
        worksheet.set_column(column, column, width)
    for row_index, row in enumerate(frame.iter_rows(), start=1):
        for column, value in enumerate(row):
            if value is not None:
                worksheet.write(row_index, column, value, column_formats[column])
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, max(frame.height, 1), max(len(frame.columns) - 1, 0))


def write_workbook(marts: MartReader, output: Path, tables: tuple[str, ...] = WORKBOOK_MARTS) -> WorkbookResult:
    """Write each of `tables` the warehouse holds as a sheet of `output`, replacing the file atomically."""
    started = time.perf_counter()
    present = marts.tables()
    written: dict[str, int] = {}
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial.xlsx")
    options = {"remove_timezone": True, "constant_memory": True, "default_date_format": "yyyy-mm-dd"}
    with xlsxwriter.Workbook(str(partial), options) as workbook:
        for table in tables:
            if table not in present:
                continue
            frame = _excel_ready(marts.table(table))
            if frame.height >= EXCEL_MAX_ROWS:
                msg = f"{table} has {frame.height} rows, more than an Excel sheet holds ({EXCEL_MAX_ROWS - 1})"
                raise ValueError(msg)
            write_sheet(workbook, workbook.add_worksheet(table[:31]), frame)
            written[table] = frame.height
    partial.replace(output)
    return WorkbookResult(
        path=output,
        size_bytes=output.stat().st_size,
        sheets=written,
        missing=tuple(table for table in tables if table not in present),
        seconds=time.perf_counter() - started,
    )


def export_workbook(warehouse: Path, output: Path, tables: tuple[str, ...] = WORKBOOK_MARTS) -> WorkbookResult:
    """Open `warehouse` read-only and write the workbook of `tables` to `output`."""
    with open_marts(warehouse) as marts:
        return write_workbook(marts, output, tables)
