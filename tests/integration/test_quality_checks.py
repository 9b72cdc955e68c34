"""The bronze quality checks inside the daily_refresh job: ERROR rules block the warehouse, WARN rules do not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

import polars as pl
import pytest
from dagster import AssetKey, AssetSelection, DagsterInstance, Definitions, ExecuteInProcessResult

from assets.quality import EXPECTATIONS_ERROR, EXPECTATIONS_WARN, ROW_VOLUME
from ecap_pipeline.definitions import build_definitions
from ecap_pipeline.jobs import DAILY_REFRESH
from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.lake.contracts import BRONZE_TABLES
from ecap_pipeline.settings import Settings
from resources.generator import ShopGeneratorResource
from tests.conftest import tiny_environment
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration

DAY = "2025-09-01"
"""The opening day: its customers, sessions and orders refer only to rows of the same day."""


class QuantityZeroGenerator(ShopGeneratorResource):
    """The real generator, except that the first order line of every day has quantity 0 (an ERROR rule)."""

    def generate_day(self, day: dt.date) -> dict[str, pl.DataFrame]:
        tables = super().generate_day(day)
        items = tables["order_items"]
        first = pl.int_range(pl.len()) == 0
        tables["order_items"] = items.with_columns(
            pl.when(first).then(0).otherwise(pl.col("quantity")).alias("quantity").cast(pl.Int32)
        )
        return tables


class UnknownSessionGenerator(ShopGeneratorResource):
    """The real generator, except that the first order of every day points at no session (a WARN rule)."""

    def generate_day(self, day: dt.date) -> dict[str, pl.DataFrame]:
        tables = super().generate_day(day)
        orders = tables["orders"]
        first = pl.int_range(pl.len()) == 0
        tables["orders"] = orders.with_columns(
            pl.when(first).then(pl.lit("S-NOWHERE")).otherwise(pl.col("session_id")).alias("session_id")
        )
        return tables


class Shop(NamedTuple):
    settings: Settings
    defs: Definitions
    instance: DagsterInstance


@pytest.fixture
def shop(tmp_path, monkeypatch) -> Iterator[Shop]:
    tiny_environment(monkeypatch, tmp_path)
    settings = Settings.from_env()
    with DagsterInstance.ephemeral() as instance:
        yield Shop(settings, build_definitions(settings), instance)


def _generator(shop: Shop, kind: type[ShopGeneratorResource]) -> ShopGeneratorResource:
    return kind(seed=shop.settings.seed, scale=shop.settings.scale, opening_date=shop.settings.start_date.isoformat())


def _run(
    shop: Shop, generator: ShopGeneratorResource, selection: AssetSelection | None = None
) -> ExecuteInProcessResult:
    job = shop.defs.resolve_job_def(DAILY_REFRESH)
    if selection is not None:
        job = job.get_subset(asset_selection=selection.resolve(shop.defs.resolve_asset_graph()))
    return job.execute_in_process(
        instance=shop.instance, partition_key=DAY, raise_on_error=False, resources={"generator": generator}
    )


def _evaluation(result: ExecuteInProcessResult, table: str, check: str):
    (evaluation,) = [
        e
        for e in result.get_asset_check_evaluations()
        if e.asset_key == AssetKey(["bronze", table]) and e.check_name == check
    ]
    return evaluation


def test_order_line_with_quantity_zero_fails_the_blocking_check_and_no_warehouse_model_materializes(shop: Shop) -> None:
    result = _run(shop, _generator(shop, QuantityZeroGenerator))

    assert not result.success
    failed = _evaluation(result, "order_items", EXPECTATIONS_ERROR)
    assert not failed.passed
    assert failed.metadata["failing rows"].value == 1
    assert "expect_column_values_to_be_between(quantity)" in failed.description
    assert "quantity=0" in failed.description
    first_line = read_table(shop.settings.lake_dir, "order_items").filter(pl.col("quantity") == 0).row(0, named=True)
    examples = str(failed.metadata["failures"].value)
    assert f"| {first_line['order_id']} | {first_line['line_number']} | 0 |" in examples
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert AssetKey(["bronze", "order_items"]) in materialized
    assert {key for key in materialized if key.path[0] not in ("bronze", "ground_truth")} == set()
    step_failures = [
        str(event.event_specific_data.error.message) for event in result.all_events if event.is_step_failure
    ]
    assert any("bronze/order_items: expectations_error" in message for message in step_failures), step_failures
    others = [_evaluation(result, table, EXPECTATIONS_ERROR) for table in BRONZE_TABLES if table != "order_items"]
    assert all(evaluation.passed for evaluation in others)


def test_order_with_unknown_session_fails_a_warn_check_and_the_warehouse_still_builds(shop: Shop) -> None:
    staging = [AssetKey([f"stg_bronze__{table}"]) for table in BRONZE_TABLES]
    selection = AssetSelection.groups("ingestion") | AssetSelection.assets(*staging)
    result = _run(shop, _generator(shop, UnknownSessionGenerator), selection)

    # dbt's singular tests on marts outside this selection error; what matters is that dbt ran at all.
    assert "bronze_quality" not in {event.step_key for event in result.all_events if event.is_step_failure}
    warned = _evaluation(result, "orders", EXPECTATIONS_WARN)
    assert not warned.passed
    assert warned.metadata["failing rows"].value == 1
    assert "S-NOWHERE" in warned.description
    assert _evaluation(result, "orders", EXPECTATIONS_ERROR).passed
    # not blocked: the dbt step ran (a blocking failure would have skipped it)
    started = {event.step_key for event in result.all_events if event.event_type_value == "STEP_START"}
    assert any(key.startswith("ecap_dbt_models") for key in started), started


def test_every_bronze_check_passes_on_a_clean_build_and_data_docs_cover_every_table(built: Built) -> None:
    evaluations = [e for e in built.result.get_asset_check_evaluations() if e.asset_key.path[0] == "bronze"]
    names = {(e.asset_key.path[-1], e.check_name) for e in evaluations}
    for table in BRONZE_TABLES:
        assert {(table, EXPECTATIONS_ERROR), (table, EXPECTATIONS_WARN), (table, ROW_VOLUME)} <= names
    assert [(e.asset_key.to_user_string(), e.check_name) for e in evaluations if not e.passed] == []
    docs = built.settings.data_dir / "docs" / "quality"
    index = (docs / "index.html").read_text()
    for table in BRONZE_TABLES:
        assert f"bronze.{table}" in index
        assert list((docs / "validations" / "bronze" / table).rglob("*.html"))
