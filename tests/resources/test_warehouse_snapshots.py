"""What the UI shows of each warehouse table is read back from the published file: size, columns, first rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from resources.warehouse import WarehouseResource


@pytest.fixture
def warehouse(tmp_path: Path) -> WarehouseResource:
    path = tmp_path / "ecap.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table revenue_daily as select range as day, range * 1.5 as amount from range(12)")
        connection.execute("create table customer_rfm as select 'C1' as customer_id, 'Champions' as segment")
        connection.execute("create view recent as select * from revenue_daily where day > 9")
    return WarehouseResource(path=str(path))


def test_each_table_and_view_gets_count_column_types_and_head(warehouse: WarehouseResource) -> None:
    snapshots = warehouse.table_snapshots(["revenue_daily", "customer_rfm", "recent"], head_rows=3)
    assert {name: snapshot.row_count for name, snapshot in snapshots.items()} == {
        "customer_rfm": 1,
        "recent": 2,
        "revenue_daily": 12,
    }
    assert snapshots["revenue_daily"].columns == (("day", "BIGINT"), ("amount", "DECIMAL(21,1)"))
    expected = pl.DataFrame({"customer_id": ["C1"], "segment": ["Champions"]})
    assert_frame_equal(snapshots["customer_rfm"].head, expected)
    assert snapshots["revenue_daily"].head.height == 3


def test_tables_not_in_the_warehouse_and_a_missing_file_are_left_out(
    warehouse: WarehouseResource, tmp_path: Path
) -> None:
    assert set(warehouse.table_snapshots(["customer_rfm", "not_built"])) == {"customer_rfm"}
    assert WarehouseResource(path=str(tmp_path / "absent.duckdb")).table_snapshots(["customer_rfm"]) == {}
