"""Re-running days of the bronze assets: replace that day only, never duplicate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import polars as pl
import pytest
from dagster import AssetSelection, DagsterInstance, Definitions

from ecap_pipeline.definitions import build_definitions
from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.lake.contracts import BRONZE_TABLES
from ecap_pipeline.settings import Settings
from tests.conftest import tiny_environment

pytestmark = pytest.mark.integration


@pytest.fixture
def lake(tmp_path, monkeypatch) -> Iterator[tuple[Settings, Definitions, DagsterInstance]]:
    tiny_environment(monkeypatch, tmp_path)
    settings = Settings.from_env()
    with DagsterInstance.ephemeral() as instance:
        yield settings, build_definitions(settings), instance


def _materialize_bronze(defs: Definitions, instance: DagsterInstance, day: str) -> None:
    job = defs.resolve_implicit_global_asset_job_def().get_subset(
        asset_selection=AssetSelection.groups("ingestion").resolve(defs.resolve_asset_graph())
    )
    assert job.execute_in_process(instance=instance, partition_key=day).success


def _content(settings: Settings) -> dict[str, pl.DataFrame]:
    """Bronze content without the per-run lineage columns, in a stable order."""
    return {
        table: read_table(settings.lake_dir, table).drop("_ingested_at", "_batch_id").sort(pl.all())
        for table in BRONZE_TABLES
    }


def test_rematerializing_a_day_twice_leaves_bronze_unchanged(lake) -> None:
    settings, defs, instance = lake
    for day in ("2025-09-01", "2025-09-02"):
        _materialize_bronze(defs, instance, day)
    before = _content(settings)
    _materialize_bronze(defs, instance, "2025-09-02")
    _materialize_bronze(defs, instance, "2025-09-02")
    after = _content(settings)
    for table in BRONZE_TABLES:
        assert after[table].equals(before[table]), table
    assert before["orders"].height > 0


def test_materializing_a_new_day_adds_exactly_that_day(lake) -> None:
    settings, defs, instance = lake
    _materialize_bronze(defs, instance, "2025-09-01")
    before = _content(settings)
    _materialize_bronze(defs, instance, "2025-09-02")
    after = _content(settings)
    new_day = dt.date(2025, 9, 2)
    for table in BRONZE_TABLES:
        old_days = after[table].filter(pl.col("partition_date") != new_day)
        assert old_days.equals(before[table]), table
        assert after[table].filter(pl.col("partition_date") == new_day).height > 0, table
