"""Schedules: the daily refresh of yesterday and the weekly retrain. Both start stopped; turn them on in the UI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster import ScheduleDefinition, build_schedule_from_partitioned_job

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

DAILY_REFRESH_SCHEDULE = "daily_refresh_schedule"
RETRAIN_MODELS_WEEKLY = "retrain_models_weekly"
SCHEDULE_TAG = "ecap/cadence"


def daily_refresh_schedule(job: UnresolvedAssetJobDefinition) -> ScheduleDefinition:
    """Every morning at 02:00 UTC, refresh yesterday's partition (the latest complete day) and everything downstream."""
    return build_schedule_from_partitioned_job(
        job,
        hour_of_day=2,
        name=DAILY_REFRESH_SCHEDULE,
        description="Lands yesterday's data in bronze and rebuilds the warehouse at 02:00 UTC.",
        tags={SCHEDULE_TAG: "daily"},
    )


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
