"""Warehouse assets: every dbt model, seed and test of the dbt project on DuckDB."""

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    AssetSpec,
    AutomationCondition,
    Failure,
    MetadataValue,
    Output,
)
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from assets.automation import WHEN_INPUTS_UPDATE
from assets.freshness import KEY_MARTS, MART_FRESHNESS_POLICY
from assets.metadata import snapshot_metadata, trend_markdown
from assets.retries import IO_RETRY_POLICY
from ecap_pipeline.settings import DEFAULTS
from resources.warehouse import WarehouseResource

OWNER = "team:analytics-engineering"


TREND_DAYS = 14
_REVENUE_TREND = f"""
    select order_date, sum(net_revenue) as net_revenue
    from main.revenue_daily
    group by order_date
    order by order_date desc
    limit {TREND_DAYS}
"""


class EcapDbtTranslator(DagsterDbtTranslator):
    """Puts every dbt node in the `warehouse` group, owned by analytics engineering; models follow their inputs.

    Descriptions come from the dbt docs (the models' YAML), which dagster-dbt reads by default.
    """

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id.startswith("model.") and unique_id.rsplit(".", 1)[-1] in KEY_MARTS:
            return spec.replace_attributes(freshness_policy=MART_FRESHNESS_POLICY)
        return spec

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> AutomationCondition | None:
        return WHEN_INPUTS_UPDATE if dbt_resource_props["resource_type"] == "model" else None

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
        """Build and test the warehouse with `dbt build`, reporting row counts, schema and a preview per model."""
        check_dbt_sees(data_dir)
        # dbt builds its `next` target, a private copy published only if the whole build succeeds,
        # so readers see the previous warehouse or this one, never a half-built one.
        with warehouse.publishing():
            events = list(dbt.cli(["build"], context=context).stream())
        yield from with_table_metadata(events, warehouse)

    return ecap_dbt_models


def with_table_metadata(events: list[Any], warehouse: WarehouseResource) -> Iterator[Any]:
    """`events` with row count, column schema and preview added to the output of every table dbt built.

    Read back from the published warehouse, so the UI shows what analysts see; revenue_daily also
    gets its recent trend, the first thing asked of a revenue refresh.
    """
    names = {name for event in events if (name := _relation_name(event))}
    snapshots = warehouse.table_snapshots(names)
    extra: dict[str, dict[str, Any]] = {}
    if "revenue_daily" in snapshots:
        extra["revenue_daily"] = {"revenue_trend": MetadataValue.md(revenue_trend(warehouse))}
    for event in events:
        name = _relation_name(event)
        if name in snapshots:
            yield event.with_metadata({**event.metadata, **snapshot_metadata(snapshots[name]), **extra.get(name, {})})
        else:
            yield event


def revenue_trend(warehouse: WarehouseResource) -> str:
    """Net revenue of the last TREND_DAYS days in revenue_daily, as a sparkline and a bar table."""
    frame = warehouse.read_frame(_REVENUE_TREND)
    return trend_markdown(frame, day="order_date", value="net_revenue", label="net revenue")


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
