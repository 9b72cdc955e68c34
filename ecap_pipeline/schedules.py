"""Schedules: the daily refresh of yesterday and the weekly retrain. Both start stopped; turn them on in the UI."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dagster import (
    DailyPartitionsDefinition,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

DAILY_REFRESH_SCHEDULE = "daily_refresh_schedule"
RETRAIN_MODELS_WEEKLY = "retrain_models_weekly"
SCHEDULE_TAG = "ecap/cadence"


def daily_refresh_schedule(
    job: UnresolvedAssetJobDefinition, partitions: DailyPartitionsDefinition
) -> ScheduleDefinition:
    """Every morning at 02:00 UTC, refresh yesterday's partition (the latest complete day) and everything downstream.

    Written out rather than `build_schedule_from_partitioned_job`, whose ticks call an API this Dagster
    version deprecates (a warning on every tick).
    """

    @schedule(
        name=DAILY_REFRESH_SCHEDULE,
        job=job,
        cron_schedule="0 2 * * *",
        execution_timezone="UTC",
        description="Lands yesterday's data in bronze and rebuilds the warehouse at 02:00 UTC.",
    )
    def refresh_yesterday(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        now = context.scheduled_execution_time or dt.datetime.now(tz=dt.UTC)
        window = partitions.get_prev_partition_window(now)
        if window is None:
            return SkipReason(f"no complete day yet: the first partition starts {partitions.start:%Y-%m-%d}")
        day = partitions.get_partition_key_for_timestamp(window.start.timestamp())
        # the run key makes a tick replayed after a restart request the day once
        return RunRequest(run_key=day, partition_key=day, tags={SCHEDULE_TAG: "daily"})

    return refresh_yesterday


def retrain_models_weekly(job: UnresolvedAssetJobDefinition) -> ScheduleDefinition:
    """Sundays at 03:00 UTC, after that morning's refresh: a week of new history is enough to retrain on.

    Daily retraining would mostly fit noise and churn versions; the scores still follow each day's
    marts through their automation condition, with the promoted models.
    """
    return ScheduleDefinition(
        name=RETRAIN_MODELS_WEEKLY,
        job=job,
        cron_schedule="0 3 * * 0",
        execution_timezone="UTC",
        description="Retrains, judges and promotes every model on the whole history, Sundays at 03:00 UTC.",
        tags={SCHEDULE_TAG: "weekly"},
    )
