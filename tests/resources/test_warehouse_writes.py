"""Model scores reach the warehouse through `WarehouseResource.replace_tables`, readable with `read_frame`."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from resources.warehouse import WarehouseResource


def test_replaced_tables_are_read_back_and_a_second_write_replaces_them(tmp_path: Path) -> None:
    warehouse = WarehouseResource(path=str(tmp_path / "warehouse" / "ecap.duckdb"))
    warehouse.replace_tables({"churn_scores": pl.DataFrame({"customer_id": ["C1", "C2"], "p": [0.2, 0.9]})})
    warehouse.replace_tables({"churn_scores": pl.DataFrame({"customer_id": ["C3"], "p": [0.5]})})
    read = warehouse.read_frame("select customer_id, p from churn_scores order by customer_id")
    assert read.to_dicts() == [{"customer_id": "C3", "p": 0.5}]
    assert _row_counts(warehouse, ["churn_scores", "missing"]) == {"churn_scores": 1}


def test_reading_a_warehouse_that_was_never_built_says_to_build_it(tmp_path: Path) -> None:
    warehouse = WarehouseResource(path=str(tmp_path / "ecap.duckdb"))
    with pytest.raises(FileNotFoundError, match="build it first"):
        warehouse.read_frame("select 1")


def _row_counts(warehouse: WarehouseResource, tables: list[str]) -> dict[str, int]:
    return {name: snapshot.row_count for name, snapshot in warehouse.table_snapshots(tables).items()}
