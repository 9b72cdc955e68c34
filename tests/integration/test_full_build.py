"""Materialize every asset for a few days on the tiny scale and check what analysts get."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ecap_pipeline.jobs import MODELS_GROUP
from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.summary import MARTS
from tests.integration.conftest import Built

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


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def test_build_run_succeeds(built: Built) -> None:
    failures = [event.event_specific_data for event in built.result.all_events if event.is_step_failure]
    assert built.result.success, failures


def test_every_asset_is_materialized_and_bronze_has_every_day(built: Built) -> None:
    graph = built.defs.resolve_asset_graph()
    # models (retrain_models) and lake maintenance (lake_maintenance) run in their own jobs
    keys = [key for key in graph.get_all_asset_keys() if graph.get(key).group_name not in {MODELS_GROUP, "maintenance"}]
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
    assert orders["partition_date"].unique().sort().to_list() == built.settings.days()
