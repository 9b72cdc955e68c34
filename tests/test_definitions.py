"""The code location loads, exactly as `dagster dev` loads it, with everything wired."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import AssetKey, Definitions

from ecap_pipeline.definitions import defs as load_defs
from ecap_pipeline.instance import ensure_dagster_home
from ecap_pipeline.lake.contracts import BRONZE_TABLES
from ecap_pipeline.settings import PROJECT_ROOT, SettingsError
from ecap_pipeline.summary import MARTS
from tests.conftest import tiny_environment

CORE = ("dim_customers", "dim_products", "fct_orders", "fct_order_items", "fct_sessions")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One tiny environment for the module: loading definitions parses the dbt project once."""
    path = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as patch:
        tiny_environment(patch, path)
        yield path


@pytest.fixture(scope="module")
def defs(data_dir: Path) -> Definitions:
    return load_defs()


def test_every_bronze_table_dbt_model_and_mart_is_an_asset(defs: Definitions) -> None:
    keys = defs.resolve_asset_graph().get_all_asset_keys()
    expected = {AssetKey(["bronze", table]) for table in BRONZE_TABLES} | {AssetKey(name) for name in MARTS + CORE}
    assert expected <= keys


def test_every_asset_has_a_description_group_owner_and_kinds(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, key
        assert node.group_name in {"ingestion", "warehouse", "models", "maintenance", "reports"}, key
        assert node.owners, key
        assert node.kinds, key


def test_dbt_tests_are_asset_checks_on_the_marts(defs: Definitions) -> None:
    checks = defs.resolve_asset_graph().asset_check_keys
    checked_assets = {check.asset_key for check in checks}
    assert {AssetKey(name) for name in MARTS} <= checked_assets
    assert len(checks) >= 50


def test_daily_refresh_job_and_its_schedule_exist(defs: Definitions) -> None:
    job = defs.resolve_job_def("daily_refresh")
    assert job.partitions_def is not None
    schedule = defs.resolve_schedule_def("daily_refresh_schedule")
    assert schedule.job_name == "daily_refresh"
    assert schedule.cron_schedule == "0 2 * * *"


def test_bronze_assets_are_daily_partitioned_from_the_start_date(defs: Definitions) -> None:
    bronze = defs.resolve_assets_def(AssetKey(["bronze", "orders"]))
    assert bronze.partitions_def is not None
    assert bronze.partitions_def.get_first_partition_key() == "2025-09-01"


def test_workspace_loads_cleanly_with_dagster_cli(data_dir: Path) -> None:
    ensure_dagster_home(data_dir)  # what `ecap dev` does before it hands over to `dagster dev`
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    # The one warning allowed is about the validate command itself, not about these definitions.
    about_definitions = [
        line for line in output.splitlines() if "Warning" in line and "definitions_validate_command" not in line
    ]
    assert about_definitions == [], output


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ECAP_SCALE", "enormous"),
        ("ECAP_END_DATE", "2025-08-01"),
        ("ECAP_START_DATE", "first of september"),
        ("ECAP_SEED", "-3"),
    ],
)
def test_bad_setting_stops_the_definitions_load_naming_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    tiny_environment(monkeypatch, tmp_path, **{variable: value})
    with pytest.raises(SettingsError, match=variable):
        load_defs()


def test_unwritable_data_dir_stops_the_load_naming_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    tiny_environment(monkeypatch, blocker / "data")
    with pytest.raises(SettingsError, match="ECAP_DATA_DIR"):
        load_defs()
