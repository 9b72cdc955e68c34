"""The daily partitioning shared by every day-grained asset: one day is one partition."""

from __future__ import annotations

from dagster import DailyPartitionsDefinition

from ecap_pipeline.settings import Settings


def daily_partitions(settings: Settings) -> DailyPartitionsDefinition:
    """Days from the configured start date up to yesterday (UTC), growing as days pass."""
    return DailyPartitionsDefinition(start_date=settings.start_date.isoformat(), timezone="UTC")
