"""The trend and preview people read in an asset's materialization metadata."""

from __future__ import annotations

import datetime as dt

import polars as pl
from dagster import TableSchema

from assets.metadata import snapshot_metadata, sparkline, trend_markdown
from resources.warehouse import TableSnapshot


def test_sparkline_maps_the_smallest_to_the_lowest_block_and_the_largest_to_the_highest() -> None:
    assert sparkline([0, 2, 4, 14]) == "▁▂▃█"


def test_a_flat_or_empty_series_has_no_false_peaks() -> None:
    assert (sparkline([5, 5, 5]), sparkline([])) == ("▄▄▄", "")


def test_trend_lists_days_oldest_first_with_bars_scaled_to_the_peak() -> None:
    frame = pl.DataFrame(
        {
            "order_date": [dt.date(2025, 9, 3), dt.date(2025, 9, 1), dt.date(2025, 9, 2)],
            "net_revenue": [100.0, 50.0, 0.0],
        }
    )
    text = trend_markdown(frame, day="order_date", value="net_revenue", label="net revenue")
    assert text.splitlines() == [
        "**net revenue, 3 days:** `▅▁█` (min 0.00, max 100.00, last 100.00)",
        "",
        "| order_date | net revenue | |",
        "| --- | ---: | --- |",
        "| 2025-09-01 | 50.00 | ██████████ |",
        "| 2025-09-02 | 0.00 |  |",
        "| 2025-09-03 | 100.00 | ████████████████████ |",
    ]


def test_an_empty_trend_says_so() -> None:
    frame = pl.DataFrame(schema={"order_date": pl.Date, "net_revenue": pl.Float64})
    assert trend_markdown(frame, day="order_date", value="net_revenue", label="net revenue") == "_no days yet_"


def test_snapshot_metadata_carries_count_schema_and_preview() -> None:
    head = pl.DataFrame({"customer_id": ["C1", "C2"], "segment": ["Champions", None]})
    metadata = snapshot_metadata(TableSnapshot(42, (("customer_id", "VARCHAR"), ("segment", "VARCHAR")), head))
    schema = metadata["dagster/column_schema"]
    assert isinstance(schema, TableSchema)
    assert [(column.name, column.type) for column in schema.columns] == [
        ("customer_id", "VARCHAR"),
        ("segment", "VARCHAR"),
    ]
    assert metadata["dagster/row_count"] == 42
    assert metadata["preview"].value.splitlines()[2:] == ["| C1 | Champions |", "| C2 |  |"]
