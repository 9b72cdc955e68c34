"""The Dagster code location: wiring only. `workspace.yaml` loads `defs` from here."""

from __future__ import annotations

from dagster import Definitions, definitions

from assets.bronze import build_bronze_assets
from assets.churn import build_churn_assets
from assets.clv import build_clv_assets
from assets.docs import build_docs_assets
from assets.fraud import build_fraud_assets
from assets.freshness import build_freshness_checks
from assets.landing import ingest_landed_files_job
from assets.maintenance import lake_compaction, lake_retention, lake_vacuum
from assets.quality import build_quality_checks
from assets.reports import build_report_assets
from assets.warehouse import build_warehouse_assets
from ecap_pipeline.jobs import daily_refresh_job, full_rebuild_job, lake_maintenance_job, retrain_models_job
from ecap_pipeline.partitions import daily_partitions
from ecap_pipeline.schedules import daily_refresh_schedule, retrain_models_weekly
from ecap_pipeline.sensors import automation_sensor, landing_zone_sensor, run_failure_recorder
from ecap_pipeline.settings import Settings
from resources.dbt import dbt_cli_resource, ecap_dbt_project
from resources.generator import ShopGeneratorResource
from resources.lake import LakeResource
from resources.landing import LandingResource
from resources.maintenance import LakeMaintenanceResource
from resources.models import ModelRegistryResource
from resources.warehouse import WarehouseResource


def build_definitions(settings: Settings) -> Definitions:
    """All assets, checks, jobs, schedules and resources for one deployment's settings."""
    partitions = daily_partitions(settings)
    project = ecap_dbt_project()
    job = daily_refresh_job()
    retrain = retrain_models_job()
    warehouse = build_warehouse_assets(project, settings.data_dir)
    ingest_job = ingest_landed_files_job()
    return Definitions(
        assets=[
            build_bronze_assets(partitions),
            warehouse,
            build_docs_assets(warehouse, settings.data_dir),
            *build_churn_assets(settings.churn_horizon_days),
            *build_clv_assets(settings.start_date, settings.end_date),
            *build_fraud_assets(settings.fraud_rules_path),
            *build_report_assets(settings.reports_dir),
            lake_retention,
            lake_compaction,
            lake_vacuum,
        ],
        asset_checks=[*build_quality_checks(settings.data_dir), build_freshness_checks()],
        jobs=[job, full_rebuild_job(), retrain, lake_maintenance_job(), ingest_job],
        schedules=[daily_refresh_schedule(job, partitions), retrain_models_weekly(retrain)],
        sensors=[landing_zone_sensor(), automation_sensor(), run_failure_recorder(settings.data_dir)],
        resources={
            "generator": ShopGeneratorResource(
                seed=settings.seed,
                scale=settings.scale,
                opening_date=settings.start_date.isoformat(),
                scale_overrides=settings.scale_overrides,
                fraud_rate=settings.fraud_rate,
            ),
            "lake": LakeResource(data_dir=str(settings.data_dir)),
            "landing": LandingResource(data_dir=str(settings.data_dir)),
            "lake_maintenance": LakeMaintenanceResource(
                data_dir=str(settings.data_dir), retention_days=settings.retention_days
            ),
            "dbt": dbt_cli_resource(project),
            "warehouse": WarehouseResource(path=str(settings.warehouse_path)),
            "models": ModelRegistryResource(root=str(settings.models_dir)),
        },
    )


@definitions
def defs() -> Definitions:
    """The definitions for the settings in the environment; invalid settings stop the load."""
    return build_definitions(Settings.from_env())
