"""Analysts query every mart while the pipeline rebuilds the warehouse, and never see a half-built one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from dagster import AssetKey, AssetSelection, materialize
from deltalake import DeltaTable

from assets.warehouse import build_warehouse_assets
from ecap_pipeline.lake.bronze import table_path
from ecap_pipeline.lake.contracts import BRONZE_TABLES
from ecap_pipeline.settings import PROJECT_ROOT, Settings
from resources.dbt import dbt_cli_resource, ecap_dbt_project
from resources.warehouse import WarehouseResource
from tests.conftest import tiny_environment
from tests.integration.conftest import END, START, Built
from tests.integration.warehouse_reader import snapshot

pytestmark = pytest.mark.integration

_READINGS_AFTER_PUBLISH = 2
_WAIT_SECONDS = 300


@pytest.fixture
def copy_of_built(built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The shared tiny build's lake and warehouse, copied so that rebuilding them changes nothing shared."""
    data_dir = tmp_path / "data"
    for zone in ("lake", "warehouse"):
        shutil.copytree(built.settings.data_dir / zone, data_dir / zone)
    tiny_environment(monkeypatch, data_dir, ECAP_START_DATE=START, ECAP_END_DATE=END)
    return Settings.from_env()


@contextmanager
def _analyst(warehouse: Path, workdir: Path) -> Iterator[Path]:
    """A separate process querying every mart in a loop; yields the file its readings go to."""
    readings, stop = workdir / "readings.jsonl", workdir / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.warehouse_reader", str(warehouse), str(readings), str(stop)],
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield readings
    finally:
        stop.touch()
        _, stderr = reader.communicate(timeout=_WAIT_SECONDS)
    assert reader.returncode == 0, stderr


def _readings(path: Path) -> list[dict[str, Any]]:
    """Every reading recorded so far; a line the reader is still writing is left for the next look."""
    lines = path.read_text().splitlines(keepends=True) if path.exists() else []
    return [json.loads(line) for line in lines if line.endswith("\n")]


def _wait_for(path: Path, *, count: int, started_after: float) -> None:
    deadline = time.monotonic() + _WAIT_SECONDS
    while sum(reading["started"] > started_after for reading in _readings(path)) < count:
        assert time.monotonic() < deadline, f"the reader recorded fewer than {count} readings in {_WAIT_SECONDS} s"
        time.sleep(0.2)


def test_analysts_query_every_mart_during_a_rebuild_and_see_only_complete_warehouses(
    copy_of_built: Settings, tmp_path: Path
) -> None:
    settings = copy_of_built
    previous = snapshot(settings.warehouse_path)
    # The rebuild reads a lake without its last day, so the new warehouse differs from the old one.
    for table in BRONZE_TABLES:
        DeltaTable(str(table_path(settings.lake_dir, table))).delete(f"partition_date = '{END}'")
    project = ecap_dbt_project()
    models = build_warehouse_assets(project, settings.data_dir)

    with _analyst(settings.warehouse_path, tmp_path) as readings:
        _wait_for(readings, count=1, started_after=0)
        build_started = time.time()
        result = materialize(
            [models],
            selection=AssetSelection.assets(models).without_checks(),
            resources={
                "dbt": dbt_cli_resource(project),
                "warehouse": WarehouseResource(path=str(settings.warehouse_path)),
            },
            raise_on_error=False,
        )
        published = time.time()
        _wait_for(readings, count=_READINGS_AFTER_PUBLISH, started_after=published)

    assert result.success
    assert AssetKey("customer_rfm") in {event.asset_key for event in result.get_asset_materialization_events()}
    rebuilt = snapshot(settings.warehouse_path)
    assert rebuilt != previous, "the rebuild should have changed the marts"
    seen = _readings(readings)
    assert [reading["error"] for reading in seen if "error" in reading] == []
    assert all(reading["snapshot"] in (previous, rebuilt) for reading in seen), "a reader saw a mix of two builds"
    during_build = [reading for reading in seen if build_started <= reading["started"] < published]
    assert during_build, "the reader never queried while dbt was building"
    assert seen[0]["snapshot"] == previous and seen[-1]["snapshot"] == rebuilt
