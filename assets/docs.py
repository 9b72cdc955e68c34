"""The dbt docs site: the warehouse's models, columns, tests and lineage, browsable by analysts."""

from __future__ import annotations

from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import DbtCliResource

from assets.retries import IO_RETRY_POLICY
from assets.warehouse import OWNER, check_dbt_sees
from ecap_pipeline.warehouse.docs import DocsCoverage, docs_coverage
from resources.warehouse import WarehouseResource

DOCS_SITE = "dbt_docs_site"
EVERY_COLUMN_DESCRIBED = "every_column_described"
_EXAMPLES = 20


def build_docs_assets(warehouse: AssetsDefinition, data_dir: Path) -> AssetsDefinition:
    """The docs site asset, downstream of every warehouse model so it documents what was built."""
    site_dir = data_dir / "docs" / "dbt"

    @asset(
        name=DOCS_SITE,
        deps=list(warehouse.keys),
        group_name="warehouse",
        kinds={"dbt", "html"},
        owners=[OWNER],
        retry_policy=IO_RETRY_POLICY,
        check_specs=[
            AssetCheckSpec(
                EVERY_COLUMN_DESCRIBED,
                asset=DOCS_SITE,
                description="Every warehouse table and column is described; no description names a missing column.",
            )
        ],
    )
    def dbt_docs_site(dbt: DbtCliResource, warehouse: WarehouseResource) -> MaterializeResult:
        """The dbt docs site (`data/docs/dbt/static_index.html`): every model and column described, with lineage."""
        check_dbt_sees(data_dir)
        # Compiling creates views over bronze in the database, so dbt works on a private copy of
        # the warehouse that is then thrown away: the published file stays as the build left it.
        with warehouse.scratch_copy():
            # One thread: compiling renders every bronze source, and dbt-duckdb's Delta plugin is not
            # safe to load from several threads at once (see macros/plugin_source_hooks.sql).
            dbt.cli(["docs", "generate", "--static", "--threads", "1"], target_path=site_dir).wait()
        coverage = docs_coverage(site_dir)
        return MaterializeResult(
            metadata={
                "site": MetadataValue.path(str(site_dir / "static_index.html")),
                "tables documented": coverage.relations,
                "columns documented": coverage.columns,
            },
            check_results=[_coverage_check(coverage)],
        )

    return dbt_docs_site


def _coverage_check(coverage: DocsCoverage) -> AssetCheckResult:
    return AssetCheckResult(
        check_name=EVERY_COLUMN_DESCRIBED,
        passed=coverage.is_complete,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "undescribed tables": len(coverage.undescribed_relations),
            "undescribed columns": len(coverage.undescribed_columns),
            "described but missing columns": len(coverage.stale_columns),
            "examples": MetadataValue.md("\n".join(f"- `{name}`" for name in coverage.gaps[:_EXAMPLES]) or "none"),
        },
    )
