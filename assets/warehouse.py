"""Warehouse assets: every dbt model, seed and test of the dbt project on DuckDB."""

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetsDefinition, Failure, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from assets.retries import IO_RETRY_POLICY
from ecap_pipeline.settings import DEFAULTS
from resources.warehouse import WarehouseResource

OWNER = "team:analytics-engineering"


class EcapDbtTranslator(DagsterDbtTranslator):
    """Puts every dbt node in the `warehouse` group, owned by analytics engineering."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:  # noqa: ARG002 (same for every node)
        return "warehouse"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:  # noqa: ARG002 (same for every node)
        return [OWNER]


def build_warehouse_assets(project: DbtProject, data_dir: Path) -> AssetsDefinition:
    """The dbt models as assets; dbt tests run in the same `dbt build` and surface as checks."""

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=EcapDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
        retry_policy=IO_RETRY_POLICY,
    )
    def ecap_dbt_models(
        context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ) -> Iterator[Any]:
        """Build and test the warehouse with `dbt build`, reporting row counts per model."""
        check_dbt_sees(data_dir)
        # dbt builds its `next` target, a private copy published only if the whole build succeeds,
        # so readers see the previous warehouse or this one, never a half-built one.
        with warehouse.publishing():
            events = list(dbt.cli(["build"], context=context).stream())
        yield from with_row_counts(events, warehouse)

    return ecap_dbt_models


def with_row_counts(events: list[Any], warehouse: WarehouseResource) -> Iterator[Any]:
    """`events` with `dagster/row_count` added to the output of every table dbt built."""
    names = {_relation_name(event): event for event in events if _relation_name(event)}
    counts = warehouse.row_counts(names)
    for event in events:
        name = _relation_name(event)
        yield event.with_metadata({**event.metadata, "dagster/row_count": counts[name]}) if name in counts else event


def _relation_name(event: Any) -> str | None:
    if not isinstance(event, Output) or "unique_id" not in event.metadata:
        return None
    unique_id = str(event.metadata["unique_id"].value)
    return unique_id.rsplit(".", 1)[-1] if unique_id.startswith(("model.", "seed.")) else None


def check_dbt_sees(data_dir: Path) -> None:
    """dbt reads ECAP_DATA_DIR from the environment; refuse to build a different warehouse."""
    seen = os.environ.get("ECAP_DATA_DIR") or DEFAULTS["ECAP_DATA_DIR"]
    if Path(seen).expanduser().resolve() != data_dir:
        msg = f"dbt would read ECAP_DATA_DIR={seen!r}, but the pipeline is configured for {data_dir}"
        raise Failure(msg, allow_retries=False)
