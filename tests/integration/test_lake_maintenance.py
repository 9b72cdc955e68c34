"""The `lake_maintenance` job through Dagster: an I/O failure is retried, then re-executed from failure.

The failure is real: the path of the `customers` table's writer lock is taken by a directory, so
the compaction step cannot open its lock file (`IsADirectoryError`), whatever the user's
privileges. The retention step before it succeeds: `customers` is exempt from retention.
The step retries with backoff and the run fails; once the path is freed, re-executing the run from
failure runs only the failed step and what follows, and the lake ends up maintained.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from typing import NamedTuple

import polars as pl
import pytest
from dagster import (
    DagsterEventType,
    DagsterInstance,
    JobDefinition,
    ReexecutionOptions,
    execute_job,
    reconstructable,
)
from dagster._core.execution.job_execution_result import JobExecutionResult
from deltalake import DeltaTable, write_deltalake

from ecap_pipeline.definitions import build_definitions
from ecap_pipeline.generate.day import GENERATED_TABLES, generate_day
from ecap_pipeline.instance import ensure_dagster_home
from ecap_pipeline.jobs import LAKE_MAINTENANCE
from ecap_pipeline.lake.bronze import BatchInfo, read_table, table_path
from ecap_pipeline.lake.day_writer import write_days
from ecap_pipeline.settings import Settings
from tests.conftest import tiny_environment

pytestmark = pytest.mark.integration

KEEP_DAYS = 2
RUN_CONFIG = {
    "execution": {"config": {"in_process": {}}},
    "ops": {"lake_vacuum": {"config": {"retention_hours": 0, "allow_short_retention": True}}},
}


def lake_maintenance_job() -> JobDefinition:
    """The job as `dagster dev` would load it, importable by module path for re-execution."""
    return build_definitions(Settings.from_env()).resolve_job_def(LAKE_MAINTENANCE)


class Runs(NamedTuple):
    settings: Settings
    before: pl.DataFrame
    files_before: int
    failed: JobExecutionResult
    retried: JobExecutionResult


def _executed_steps(result: JobExecutionResult) -> set[str]:
    return {str(event.step_key) for event in result.all_events if event.event_type == DagsterEventType.STEP_START}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    data_dir = tmp_path_factory.mktemp("maintained")
    with pytest.MonkeyPatch.context() as patch:
        tiny_environment(patch, data_dir, ECAP_RETENTION_DAYS=str(KEEP_DAYS))
        settings = Settings.from_env()
        ensure_dagster_home(settings.data_dir)
        batch = BatchInfo("setup", dt.datetime.now(dt.UTC), "generator")
        write_days(
            settings.lake_dir, GENERATED_TABLES, settings.days(), lambda day: generate_day(settings.shop, day), batch
        )
        orders = table_path(settings.lake_dir, "orders")
        before = read_table(settings.lake_dir, "orders")
        for part in range(4):  # the same rows in four small files per day, as appended landed files leave them
            rows = before.gather_every(4, offset=part).to_arrow()
            write_deltalake(orders, rows, mode="overwrite" if part == 0 else "append", partition_by=["partition_date"])
        files_before = len(DeltaTable(orders).file_uris())
        blocked = settings.lake_dir / "_locks" / "customers.lock"
        blocked.unlink(missing_ok=True)
        blocked.mkdir(parents=True)
        job = reconstructable(lake_maintenance_job)
        with DagsterInstance.get() as instance, ExitStack() as results:
            failed = results.enter_context(execute_job(job, instance, run_config=RUN_CONFIG))
            shutil.rmtree(blocked)
            from_failure = ReexecutionOptions.from_failure(failed.run_id, instance)
            retried = results.enter_context(
                execute_job(job, instance, run_config=RUN_CONFIG, reexecution_options=from_failure)
            )
            yield Runs(settings, before, files_before, failed, retried)


def test_an_io_failure_is_retried_with_backoff_then_fails_the_run(runs: Runs) -> None:
    failed = runs.failed

    assert not failed.success
    assert [event.step_key for event in failed.all_events if event.is_step_failure] == ["lake_compaction"]
    retries = [event for event in failed.all_events if event.event_type == DagsterEventType.STEP_UP_FOR_RETRY]
    assert len(retries) == 3, "three retries, then the step fails"
    failure = next(event for event in failed.all_events if event.is_step_failure)
    assert "IsADirectoryError" in str(failure.step_failure_data.error)
    assert [event.step_key for event in failed.all_events if event.is_step_success] == ["lake_retention"]


def test_reexecution_from_failure_runs_only_the_failed_step_and_what_follows(runs: Runs) -> None:
    retried = runs.retried

    assert retried.success
    assert _executed_steps(runs.failed) == {"lake_retention", "lake_compaction"}
    assert _executed_steps(retried) == {"lake_compaction", "lake_vacuum"}
    assert retried.dagster_run.parent_run_id == runs.failed.run_id


def test_the_reexecuted_run_leaves_the_lake_compacted_vacuumed_and_within_retention(runs: Runs) -> None:
    lake = runs.settings.lake_dir
    kept_from = runs.settings.end_date - dt.timedelta(days=KEEP_DAYS - 1)
    orders = table_path(lake, "orders")

    assert runs.files_before == 4 * len(runs.settings.days())
    assert len(DeltaTable(orders).file_uris()) == KEEP_DAYS, "one file per kept day"
    on_disk = [file for file in orders.rglob("*.parquet") if "_delta_log" not in file.parts]
    assert len(on_disk) == KEEP_DAYS, "vacuum deleted every replaced file"
    kept = runs.before.filter(pl.col("partition_date") >= kept_from)
    assert read_table(lake, "orders").sort(pl.all()).equals(kept.sort(pl.all()))
    assert read_table(lake, "customers").height > 0, "customers are exempt from retention"
    assert read_table(lake, "customers")["partition_date"].min() == runs.settings.start_date
