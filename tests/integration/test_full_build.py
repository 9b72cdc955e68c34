"""Materialize every asset for a few days on the tiny scale and check what analysts get."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl
import pytest
from dagster import DagsterInstance, Definitions, ExecuteInProcessResult
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from ecap_pipeline.definitions import build_definitions
from ecap_pipeline.instance import ensure_dagster_home
from ecap_pipeline.jobs import DAILY_REFRESH
from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.settings import Settings
from ecap_pipeline.summary import MARTS
from tests.conftest import tiny_environment

pytestmark = pytest.mark.integration

RFM_SEGMENTS = {
    "Champions",
    "Loyal Customers",
    "Potential Loyalists",
    "New Customers",
    "Promising",
    "Need Attention",
    "About to Sleep",
    "At Risk",
    "Can't Lose Them",
    "Hibernating",
    "Lost",
}
ANALYST_TABLES = (
    *MARTS,
    "dim_customers",
    "dim_products",
    "fct_orders",
    "fct_order_items",
    "fct_sessions",
)


class Built(NamedTuple):
    settings: Settings
    defs: Definitions
    instance: DagsterInstance
    result: ExecuteInProcessResult


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    data_dir = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as patch:
        tiny_environment(patch, data_dir)
        settings = Settings.from_env()
        ensure_dagster_home(settings.data_dir)
        defs = build_definitions(settings)
        with DagsterInstance.get() as instance:
            result = defs.resolve_job_def(DAILY_REFRESH).execute_in_process(
                instance=instance,
                raise_on_error=False,
                tags={
                    ASSET_PARTITION_RANGE_START_TAG: settings.start_date.isoformat(),
                    ASSET_PARTITION_RANGE_END_TAG: settings.end_date.isoformat(),
                },
            )
            yield Built(settings, defs, instance, result)


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def test_build_run_succeeds(built: Built) -> None:
    failures = [event.event_specific_data for event in built.result.all_events if event.is_step_failure]
    assert built.result.success, failures


def test_every_asset_is_materialized_and_bronze_has_every_day(built: Built) -> None:
    keys = built.defs.resolve_asset_graph().get_all_asset_keys()
    missing = [key.to_user_string() for key in keys if built.instance.get_latest_materialization_event(key) is None]
    assert not missing
    days = {day.isoformat() for day in built.settings.days()}
    for key in keys:
        if key.path[0] == "bronze":
            assert built.instance.get_materialized_partitions(key) == days, key


def test_dbt_tests_run_as_asset_checks_and_pass(built: Built) -> None:
    evaluations = built.result.get_asset_check_evaluations()
    assert len(evaluations) >= 20
    assert [evaluation.check_name for evaluation in evaluations if not evaluation.passed] == []


def test_every_mart_is_non_empty_from_a_fresh_read_only_connection(built: Built) -> None:
    with _connect(built.settings.warehouse_path) as connection:
        counts = {mart: connection.execute(f"select count(*) from {mart}").fetchone()[0] for mart in ANALYST_TABLES}
    assert all(count > 0 for count in counts.values()), counts


def test_rfm_segments_are_only_the_eleven_named_ones(built: Built) -> None:
    with _connect(built.settings.warehouse_path) as connection:
        rows = connection.execute("select distinct segment, r_score, f_score, m_score from customer_rfm").fetchall()
    assert {row[0] for row in rows} <= RFM_SEGMENTS
    assert all(1 <= score <= 5 for row in rows for score in row[1:])


def test_revenue_daily_equals_bronze_order_lines_per_day(built: Built) -> None:
    lines = read_table(built.settings.lake_dir, "order_items", built.settings.days())
    expected = {
        day: Decimal(str(round(total, 2)))
        for day, total in lines.group_by("partition_date")
        .agg((pl.col("quantity") * pl.col("unit_price") - pl.col("discount_amount")).sum())
        .iter_rows()
    }
    with _connect(built.settings.warehouse_path) as connection:
        actual = dict(
            connection.execute("select order_date, sum(net_revenue) from revenue_daily group by 1").fetchall()
        )
    assert set(actual) == set(built.settings.days())
    assert {day: Decimal(actual[day]).quantize(Decimal("0.01")) for day in actual} == expected
    assert sum(expected.values()) > 0


def test_bronze_rows_carry_lineage_columns(built: Built) -> None:
    orders = read_table(built.settings.lake_dir, "orders")
    assert orders["_batch_id"].unique().to_list() == [built.result.run_id]
    assert orders["_ingested_at"].null_count() == 0
    assert orders["partition_date"].unique().sort().to_list() == [
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 2),
        dt.date(2025, 9, 3),
    ]
