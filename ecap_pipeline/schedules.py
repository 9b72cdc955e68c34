"""Schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster import ScheduleDefinition, build_schedule_from_partitioned_job

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition


def daily_refresh_schedule(job: UnresolvedAssetJobDefinition) -> ScheduleDefinition:
    """Every morning at 02:00 UTC, refresh yesterday's partition and everything downstream."""
    return build_schedule_from_partitioned_job(
        job,
        hour_of_day=2,
        name="daily_refresh_schedule",
        description="Lands yesterday's data in bronze and rebuilds the warehouse at 02:00 UTC.",
    )
