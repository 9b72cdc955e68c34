"""Sensors: files landing, assets following their inputs, and failed runs made visible."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from dagster import (
    AssetSelection,
    AutomationConditionSensorDefinition,
    DagsterEvent,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    run_failure_sensor,
    sensor,
)

from assets.landing import INGEST_LANDED_FILES, INGEST_OP
from ecap_pipeline.landing.layout import LandedFile
from resources.landing import LandingResource

if TYPE_CHECKING:
    from pathlib import Path

    from dagster._utils.error import SerializableErrorInfo

LANDING_ZONE_SENSOR = "landing_zone_sensor"
AUTOMATION_SENSOR = "ecap_automation_sensor"
RUN_FAILURE_SENSOR = "run_failure_recorder"
FAILED_STEP_TAG = "ecap/failed_step"
FAILURE_TAG = "ecap/failure"
_TAG_VALUE_LIMIT = 250


def file_key(landed: LandedFile) -> str:
    """A waiting file's identity: its name, size and inode change time, which every copy or move into
    the folder renews (a file dropped again is a new file, even `mv`-ed back with its old mtime)."""
    stat = landed.path.lstat()
    return f"{landed.name}@{stat.st_size}-{stat.st_ctime_ns}"


def landing_zone_sensor() -> SensorDefinition:
    """Every 30 s, one run of the `ingest_landed_files` job per new file in `<data_dir>/landing/<table>/`."""

    # targets the job by name: Dagster binds its resources where the job is defined
    @sensor(
        name=LANDING_ZONE_SENSOR,
        job_name=INGEST_LANDED_FILES,
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description="Ingests each file dropped into landing/<table>/ exactly once (CSV, JSON lines, Parquet).",
    )
    def watch_landing_zone(context: SensorEvaluationContext, landing: LandingResource) -> SensorResult:
        # The cursor holds the keys already requested whose files still wait (their run is queued or
        # running), so a tick requests each file once; the run key makes Dagster refuse a second run
        # of the same file even if the cursor is lost; ingestion itself is idempotent per content.
        requested = set(json.loads(context.cursor)) if context.cursor else set()
        waiting = {file_key(landed): landed for landed in landing.pending()}
        new = [key for key in waiting if key not in requested]
        cursor = json.dumps(sorted(waiting))
        if not new:
            return SensorResult(skip_reason=f"no new file in {landing.landing_root}/<table>/", cursor=cursor)
        run_requests = [
            RunRequest(
                run_key=key,
                run_config={"ops": {INGEST_OP: {"config": {"files": [waiting[key].name]}}}},
                tags={"ecap/landed_file": waiting[key].name},
            )
            for key in new
        ]
        return SensorResult(run_requests=run_requests, cursor=cursor)

    return watch_landing_zone


def automation_sensor() -> AutomationConditionSensorDefinition:
    """Every 30 s, evaluates the automation conditions: marts after new input, scores after marts, freshness hourly."""
    return AutomationConditionSensorDefinition(
        AUTOMATION_SENSOR,
        target=AssetSelection.all(),
        default_status=DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=30,
        description="Rebuilds dbt models when their inputs update, rescores after the marts, checks freshness hourly.",
    )


def run_failure_recorder(data_dir: Path) -> SensorDefinition:
    """On a failed run of this code location: tag it with its failing step and reason, log it, append it to a file.

    The tags show in the Runs list (filter on `ecap/failed_step`), so nobody opens each red run to learn
    which step broke; `<data_dir>/logs/run_failures.jsonl` keeps the same record for whoever is not in the UI.
    """
    log_path = data_dir / "logs" / "run_failures.jsonl"

    @run_failure_sensor(
        name=RUN_FAILURE_SENSOR,
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Tags each failed run with its failing step and error, and appends it to {log_path}.",
    )
    def record_run_failure(context: RunFailureSensorContext) -> None:
        record = failure_record(context)
        steps = record["steps"] or [{"step": "(run)", "error": record["error"]}]
        first = steps[0]
        context.log.error(f"run {record['run_id']} of {record['job']} failed in {first['step']}: {first['error']}")
        context.instance.add_run_tags(
            record["run_id"],
            {FAILED_STEP_TAG: ", ".join(step["step"] for step in steps), FAILURE_TAG: _short(first["error"])},
        )
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")

    return record_run_failure


def failure_record(context: RunFailureSensorContext) -> dict[str, Any]:
    """What failed, where and why: the run, its job and partition, and each failed step with its root error."""
    run = context.dagster_run
    stored = context.instance.get_run_record_by_id(run.run_id)
    ended = dt.datetime.fromtimestamp(stored.end_time, tz=dt.UTC) if stored and stored.end_time else None
    return {
        "run_id": run.run_id,
        "job": run.job_name,
        "partition": run.tags.get("dagster/partition"),
        "failed_at": (ended or dt.datetime.now(tz=dt.UTC)).isoformat(timespec="seconds"),
        "error": context.failure_event.message or "",
        "steps": [{"step": event.step_key, "error": _step_error(event)} for event in context.get_step_failure_events()],
    }


def _step_error(event: DagsterEvent) -> str:
    data = event.step_failure_data
    if data.user_failure_data is not None and data.user_failure_data.description:
        return data.user_failure_data.description
    return _root_message(data.error) if data.error is not None else (event.message or "")


def _root_message(error: SerializableErrorInfo) -> str:
    """The innermost cause's message: Dagster wraps a step's own exception in its own error."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def _short(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= _TAG_VALUE_LIMIT else line[: _TAG_VALUE_LIMIT - 1] + "…"
