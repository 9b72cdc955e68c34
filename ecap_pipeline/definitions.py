"""The Dagster code location: wiring only. `workspace.yaml` loads `defs` from here."""

from __future__ import annotations

from dagster import Definitions, definitions

from assets.bronze import build_bronze_assets
from assets.docs import build_docs_assets
from assets.fraud import build_fraud_assets
from assets.warehouse import build_warehouse_assets
from ecap_pipeline.jobs import daily_refresh_job
from ecap_pipeline.partitions import daily_partitions
from ecap_pipeline.schedules import daily_refresh_schedule
from ecap_pipeline.settings import Settings
from resources.dbt import dbt_cli_resource, ecap_dbt_project
from resources.generator import ShopGeneratorResource
from resources.lake import LakeResource
from resources.models import ModelRegistryResource
from resources.warehouse import WarehouseResource


def build_definitions(settings: Settings) -> Definitions:
    """All assets, checks, jobs, schedules and resources for one deployment's settings."""
    partitions = daily_partitions(settings)
    project = ecap_dbt_project()
    job = daily_refresh_job()
    warehouse = build_warehouse_assets(project, settings.data_dir)
    return Definitions(
        assets=[
            build_bronze_assets(partitions),
            warehouse,
            build_docs_assets(warehouse, settings.data_dir),
            *build_fraud_assets(settings.fraud_rules_path),
        ],
        jobs=[job],
        schedules=[daily_refresh_schedule(job)],
        resources={
            "generator": ShopGeneratorResource(
                seed=settings.seed,
                scale=settings.scale,
                opening_date=settings.start_date.isoformat(),
                scale_overrides=settings.scale_overrides,
                fraud_rate=settings.fraud_rate,
            ),
            "lake": LakeResource(data_dir=str(settings.data_dir)),
            "dbt": dbt_cli_resource(project),
            "warehouse": WarehouseResource(path=str(settings.warehouse_path)),
            "models": ModelRegistryResource(root=str(settings.models_dir)),
        },
    )


@definitions
def defs() -> Definitions:
    """The definitions for the settings in the environment; invalid settings stop the load."""
    return build_definitions(Settings.from_env())
