"""Jobs, named for what people do with them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster import AssetSelection, define_asset_job

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

DAILY_REFRESH = "daily_refresh"
RETRAIN_MODELS = "retrain_models"
FULL_REBUILD = "full_rebuild"
LAKE_MAINTENANCE = "lake_maintenance"
INGESTION_GROUP = "ingestion"
WAREHOUSE_GROUP = "warehouse"
MODELS_GROUP = "models"
REPORTS_GROUP = "reports"
MAINTENANCE_GROUP = "maintenance"


def daily_refresh_job() -> UnresolvedAssetJobDefinition:
    """Everything but the models, from generating the day(s) to the marts and the reports built on them.

    Models retrain in their own job: a model needs a long history (churn: three label horizons),
    and a version that fails its quality gates must not fail the day's data refresh.
    """
    return define_asset_job(
        DAILY_REFRESH,
        selection=AssetSelection.all() - AssetSelection.groups(MODELS_GROUP, MAINTENANCE_GROUP),
        description=(
            "Generate and land the selected day(s) in bronze, build and test the warehouse, then rebuild the "
            "executive report and the Excel workbook from the marts."
        ),
    )


def retrain_models_job() -> UnresolvedAssetJobDefinition:
    """Train, judge and register every model on the current warehouse, then score with the promoted versions."""
    return define_asset_job(
        RETRAIN_MODELS,
        selection=AssetSelection.groups(MODELS_GROUP),
        description="Retrain every model on the whole warehouse history and publish scores from promoted versions.",
    )


def full_rebuild_job() -> UnresolvedAssetJobDefinition:
    """Everything people read, rebuilt from the generator: launch it as a backfill over all partitions.

    Selected by group, so assets added to these groups later (the `reports` group) join it without
    an edit here. Bronze writes every day of the backfill in one run (single-run backfill policy)
    and dbt, unpartitioned, builds once over all of them; models then retrain on the whole history.
    """
    return define_asset_job(
        FULL_REBUILD,
        selection=AssetSelection.groups(INGESTION_GROUP, WAREHOUSE_GROUP, MODELS_GROUP, REPORTS_GROUP),
        description=(
            "Regenerate and land every selected day, rebuild and test the warehouse, retrain and score every "
            "model, then refresh the reports. Launch as a backfill over all partitions."
        ),
    )


def lake_maintenance_job() -> UnresolvedAssetJobDefinition:
    """Retention policy, compaction and vacuum over every lake table, in that order."""
    return define_asset_job(
        LAKE_MAINTENANCE,
        selection=AssetSelection.groups(MAINTENANCE_GROUP),
        description=(
            "Drop days older than ECAP_RETENTION_DAYS (if set), merge small data files, then vacuum the files "
            "no version within the retention (default 168 h) reads."
        ),
    )
