"""Lake maintenance assets: the retention policy, then compaction, then vacuum, over every lake table.

They run in the `lake_maintenance` job, not in the daily refresh: each records what it did to the
lake (days dropped, files merged, files deleted) in its materialization metadata.
"""

from collections.abc import Sequence

from dagster import AssetExecutionContext, AssetKey, Config, Failure, MaterializeResult, MetadataValue, asset

from assets.bronze import LAKE_TABLES
from assets.retries import IO_RETRY_POLICY
from ecap_pipeline.lake.contracts import zone_of
from ecap_pipeline.lake.maintenance import SAFE_RETENTION_HOURS, UnsafeRetentionError, VacuumResult
from resources.maintenance import LakeMaintenanceResource

OWNER = "team:data-engineering"
GROUP = "maintenance"
LAKE_KEYS = [AssetKey([zone_of(table), table]) for table in LAKE_TABLES]


class VacuumConfig(Config):
    """How old an unreferenced file must be before vacuum deletes it."""

    retention_hours: int = SAFE_RETENTION_HOURS
    allow_short_retention: bool = False
    """The explicit override needed for a retention below 168 h (7 days)."""


@asset(
    group_name=GROUP,
    kinds={"delta"},
    owners=[OWNER],
    deps=LAKE_KEYS,
    retry_policy=IO_RETRY_POLICY,
)
def lake_retention(context: AssetExecutionContext, lake_maintenance: LakeMaintenanceResource) -> MaterializeResult:
    """Deletes the lake's days older than ECAP_RETENTION_DAYS (off unless set); vacuum removes their files later."""
    results = lake_maintenance.apply_retention(LAKE_TABLES)
    if lake_maintenance.retention_days is None:
        context.log.info("ECAP_RETENTION_DAYS is not set: every day is kept")
    rows = [(result.table, str(result.cutoff), len(result.dropped_days), result.rows_deleted) for result in results]
    return MaterializeResult(
        metadata={
            "retention_days": "off" if lake_maintenance.retention_days is None else lake_maintenance.retention_days,
            "days dropped": sum(len(result.dropped_days) for result in results),
            "rows deleted": sum(result.rows_deleted for result in results),
            "tables": MetadataValue.md(_markdown(("table", "kept from", "days dropped", "rows deleted"), rows)),
        }
    )


@asset(
    group_name=GROUP,
    kinds={"delta"},
    owners=[OWNER],
    deps=[lake_retention],
    retry_policy=IO_RETRY_POLICY,
)
def lake_compaction(context: AssetExecutionContext, lake_maintenance: LakeMaintenanceResource) -> MaterializeResult:
    """Merges the small data files of each day of every lake table into fewer, larger ones; rows are unchanged."""
    results = [lake_maintenance.compact(table) for table in lake_maintenance.existing(LAKE_TABLES)]
    for result in results:
        context.log.info(f"{result.table}: {result.files_before} -> {result.files_after} data files")
    rows = [(result.table, result.files_before, result.files_after, result.version) for result in results]
    return MaterializeResult(
        metadata={
            "files before": sum(result.files_before for result in results),
            "files after": sum(result.files_after for result in results),
            "tables": MetadataValue.md(_markdown(("table", "files before", "files after", "version"), rows)),
        }
    )


@asset(
    group_name=GROUP,
    kinds={"delta"},
    owners=[OWNER],
    deps=[lake_compaction],
    retry_policy=IO_RETRY_POLICY,
)
def lake_vacuum(
    context: AssetExecutionContext, config: VacuumConfig, lake_maintenance: LakeMaintenanceResource
) -> MaterializeResult:
    """Deletes data files no recent table version reads (replaced, compacted, dropped, or left by a killed writer)."""
    results: list[VacuumResult] = []
    for table in lake_maintenance.existing(LAKE_TABLES):
        try:
            results.append(
                lake_maintenance.vacuum(
                    table,
                    retention_hours=config.retention_hours,
                    allow_short_retention=config.allow_short_retention,
                )
            )
        except UnsafeRetentionError as error:
            raise Failure(description=str(error), allow_retries=False) from error
        context.log.info(f"{table}: {len(results[-1].deleted)} file(s) deleted")
    rows = [(result.table, len(result.deleted)) for result in results]
    return MaterializeResult(
        metadata={
            "retention_hours": config.retention_hours,
            "files deleted": sum(len(result.deleted) for result in results),
            "tables": MetadataValue.md(_markdown(("table", "files deleted"), rows)),
        }
    )


def _markdown(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    if not rows:
        return "_no lake table written yet_"
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)
