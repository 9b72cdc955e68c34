"""A failed run gets its failing step and reason onto its tags and into a file people can read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import (
    DagsterEventType,
    DagsterInstance,
    Definitions,
    Failure,
    asset,
    build_run_status_sensor_context,
    define_asset_job,
)

from ecap_pipeline.sensors import FAILED_STEP_TAG, FAILURE_TAG, run_failure_recorder


@asset
def orders_export() -> None:
    """Stands in for any asset whose code raises."""
    msg = "orders export has 3 rows with a negative amount"
    raise ValueError(msg)


@asset
def refused_export() -> None:
    """Stands in for an asset that stops the run with a Dagster Failure and its own description."""
    raise Failure(description="landing/orders/a.csv: column amount is missing", allow_retries=False)


def _fail(instance: DagsterInstance, asset_name: str) -> str:
    """Run a one-asset job that fails; its name is the asset's with `_job`."""
    defs = Definitions(
        assets=[orders_export, refused_export], jobs=[define_asset_job(f"{asset_name}_job", selection=asset_name)]
    )
    result = defs.resolve_job_def(f"{asset_name}_job").execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    return result.run_id


def _record(instance: DagsterInstance, data_dir: Path, run_id: str) -> None:
    sensor = run_failure_recorder(data_dir)
    run = instance.get_run_by_id(run_id)
    (failure,) = [
        record.event_log_entry.dagster_event
        for record in instance.get_records_for_run(run_id, of_type=DagsterEventType.RUN_FAILURE).records
    ]
    context = build_run_status_sensor_context(
        sensor_name=sensor.name, dagster_event=failure, dagster_instance=instance, dagster_run=run
    ).for_run_failure()
    sensor(context)


@pytest.fixture
def instance() -> Iterator[DagsterInstance]:
    with DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def test_the_failed_run_is_tagged_with_its_step_and_the_exception_message(
    instance: DagsterInstance, tmp_path: Path
) -> None:
    run_id = _fail(instance, "orders_export")
    _record(instance, tmp_path, run_id)
    tags = instance.get_run_by_id(run_id).tags
    assert tags[FAILED_STEP_TAG] == "orders_export"
    assert tags[FAILURE_TAG] == "ValueError: orders export has 3 rows with a negative amount"


def test_each_failure_is_appended_to_a_jsonl_file_under_the_data_dir(instance: DagsterInstance, tmp_path: Path) -> None:
    first = _fail(instance, "orders_export")
    second = _fail(instance, "refused_export")
    _record(instance, tmp_path, first)
    _record(instance, tmp_path, second)
    lines = (tmp_path / "logs" / "run_failures.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["run_id"], r["job"]) for r in records] == [(first, "orders_export_job"), (second, "refused_export_job")]
    assert records[1]["steps"] == [
        {"step": "refused_export", "error": "landing/orders/a.csv: column amount is missing"}
    ]
    assert records[0]["failed_at"].endswith("+00:00")
