"""The warehouse resource: score tables written in one publish, reads that take no write lock."""

from __future__ import annotations

import os
from argparse import Namespace
from pathlib import Path

import duckdb
import polars as pl
import pytest
from dbt.config.runtime import load_profile
from dbt.flags import set_from_args
from dbt_common.context import set_invocation_context
from polars.testing import assert_frame_equal

from ecap_pipeline.settings import DBT_PROJECT_DIR
from ecap_pipeline.warehouse.publish import next_path
from resources.dbt import PIPELINE_TARGET
from resources.warehouse import WarehouseResource


@pytest.fixture
def warehouse(tmp_path: Path) -> WarehouseResource:
    path = tmp_path / "warehouse" / "ecap.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table customer_rfm as select 1 as customer_id, 'Champions' as segment")
    return WarehouseResource(path=str(path))


def test_replace_tables_writes_every_frame_and_keeps_the_tables_dbt_built(warehouse: WarehouseResource) -> None:
    churn = pl.DataFrame({"customer_id": [1, 2], "churn_probability": [0.1, 0.8]})
    fraud = pl.DataFrame({"order_id": ["o-1"], "risk_score": [0.93]})
    warehouse.replace_tables({"churn_scores": churn, "fraud_scores": fraud})
    assert_frame_equal(warehouse.read_frame("select * from churn_scores order by customer_id"), churn)
    assert_frame_equal(warehouse.read_frame("select * from fraud_scores"), fraud)
    assert _row_counts(warehouse, ["customer_rfm", "churn_scores", "fraud_scores"]) == {
        "churn_scores": 2,
        "customer_rfm": 1,
        "fraud_scores": 1,
    }


def test_replace_tables_replaces_a_table_written_before(warehouse: WarehouseResource) -> None:
    warehouse.replace_tables({"churn_scores": pl.DataFrame({"customer_id": [1, 2, 3]})})
    newer = pl.DataFrame({"customer_id": [7], "model_version": ["v2"]})
    warehouse.replace_tables({"churn_scores": newer})
    assert_frame_equal(warehouse.read_frame("select * from churn_scores"), newer)


def test_replace_tables_creates_the_warehouse_when_none_was_built(tmp_path: Path) -> None:
    warehouse = WarehouseResource(path=str(tmp_path / "ecap.duckdb"))
    warehouse.replace_tables({"clv_scores": pl.DataFrame({"customer_id": [1]})})
    assert _row_counts(warehouse, ["clv_scores"]) == {"clv_scores": 1}


@pytest.mark.parametrize(
    ("name", "frame", "rule"),
    [
        ("Churn Scores", pl.DataFrame({"customer_id": [1]}), "lowercase letters, digits and _"),
        ('scores"; drop table customer_rfm; --', pl.DataFrame({"customer_id": [1]}), "lowercase letters"),
        ("churn_scores", pl.DataFrame(), "the frame has no columns"),
    ],
)
def test_replace_tables_refuses_a_bad_table_before_writing_anything(
    warehouse: WarehouseResource, name: str, frame: pl.DataFrame, rule: str
) -> None:
    good = pl.DataFrame({"customer_id": [1]})
    with pytest.raises(ValueError, match=rule) as raised:
        warehouse.replace_tables({"fraud_scores": good, name: frame})
    assert repr(name) in str(raised.value) and warehouse.path in str(raised.value)
    assert _row_counts(warehouse, ["fraud_scores"]) == {}


def test_read_frame_works_while_an_analyst_holds_a_read_only_connection(warehouse: WarehouseResource) -> None:
    with duckdb.connect(warehouse.path, read_only=True) as analyst:
        frame = warehouse.read_frame("select segment from customer_rfm")
        assert analyst.execute("select count(*) from customer_rfm").fetchone() == (1,)
    assert frame["segment"].to_list() == ["Champions"]


def test_the_pipeline_dbt_target_writes_the_next_generation_of_the_published_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECAP_DATA_DIR", str(tmp_path))
    set_invocation_context(os.environ.copy())
    set_from_args(Namespace(profiles_dir=str(DBT_PROJECT_DIR)), None)
    pipeline = load_profile(str(DBT_PROJECT_DIR), {}, None, PIPELINE_TARGET)
    by_hand = load_profile(str(DBT_PROJECT_DIR), {}, None, None)
    published = tmp_path / "warehouse" / "ecap.duckdb"
    assert Path(pipeline.credentials.path) == next_path(published)
    assert Path(by_hand.credentials.path) == published
    assert pipeline.credentials.database == by_hand.credentials.database == "ecap"


def _row_counts(warehouse: WarehouseResource, tables: list[str]) -> dict[str, int]:
    return {name: snapshot.row_count for name, snapshot in warehouse.table_snapshots(tables).items()}
