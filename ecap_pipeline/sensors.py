"""Sensors."""

from __future__ import annotations

import json

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)

from assets.landing import INGEST_LANDED_FILES, INGEST_OP
from ecap_pipeline.landing.layout import LandedFile
from resources.landing import LandingResource

LANDING_ZONE_SENSOR = "landing_zone_sensor"


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
