"""Jobs, named for what people do with them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster import AssetSelection, define_asset_job

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

DAILY_REFRESH = "daily_refresh"


def daily_refresh_job() -> UnresolvedAssetJobDefinition:
    """Everything, from generating the day(s) to the marts: run for one day or a range of days."""
    return define_asset_job(
        DAILY_REFRESH,
        selection=AssetSelection.all(),
        description="Generate and land the selected day(s) in bronze, then build and test the warehouse.",
    )
