"""Asset checks on the bronze tables: great-expectations suites, row volumes, column schemas.

Per bronze table, `expectations_error` is blocking: when an ERROR rule fails, nothing downstream
of bronze (the dbt models, the marts) materializes in that run. `expectations_warn` and
`row_volume` report with WARN severity and never block.
"""

import datetime as dt
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    BetaWarning,
    MetadataValue,
    build_column_schema_change_checks,
    multi_asset_check,
)

from ecap_pipeline.lake.contracts import BRONZE_TABLES, zone_of
from ecap_pipeline.quality.outcomes import TableOutcome, failures_markdown
from ecap_pipeline.quality.rules import Severity
from ecap_pipeline.quality.volume import VolumeOutcome
from resources.lake import LakeResource

if TYPE_CHECKING:
    from ecap_pipeline.quality.bronze import BronzeQuality

EXPECTATIONS_ERROR = "expectations_error"
EXPECTATIONS_WARN = "expectations_warn"
ROW_VOLUME = "row_volume"
_DAGSTER_SEVERITY = {Severity.ERROR: AssetCheckSeverity.ERROR, Severity.WARN: AssetCheckSeverity.WARN}
_CHECK_OF = {Severity.ERROR: EXPECTATIONS_ERROR, Severity.WARN: EXPECTATIONS_WARN}
_DESCRIPTION_LINES = 5


def build_quality_checks(data_dir: Path) -> list[AssetChecksDefinition]:
    """The great-expectations and row-volume checks of every bronze table, and their column-schema checks."""
    keys = [AssetKey([zone_of(table), table]) for table in BRONZE_TABLES]
    docs_dir = data_dir / "docs" / "quality"

    @multi_asset_check(specs=[spec for key in keys for spec in _specs(key)], name="bronze_quality")
    def bronze_quality(context: AssetCheckExecutionContext, lake: LakeResource) -> Iterator[AssetCheckResult]:
        """Validate the run's days of every bronze table and build the Data Docs site."""
        # Imported here: great-expectations takes seconds to import, and loading the definitions
        # (the UI, the CLI, every test) should not pay for it unless checks actually run.
        from ecap_pipeline.quality.bronze import check_bronze  # noqa: PLC0415

        days = _run_days(context)
        quality = check_bronze(lake.root, days, run_name=context.run.run_id, docs_dir=docs_dir)
        yield from _results(context, quality, days, docs_dir / "index.html")

    with warnings.catch_warnings():
        # Dagster marks the schema-change check factory as beta; using it is a deliberate choice.
        warnings.filterwarnings("ignore", category=BetaWarning, message="Function `build_column_schema_change_checks`")
        schema_checks = build_column_schema_change_checks(assets=keys)
    return [bronze_quality, *schema_checks]


def _specs(key: AssetKey) -> list[AssetCheckSpec]:
    table = key.path[-1]
    return [
        AssetCheckSpec(
            EXPECTATIONS_ERROR,
            asset=key,
            blocking=True,
            description=f"ERROR rules of the bronze.{table} suite (schema, types, keys, values, days, references); "
            "a failure stops everything downstream.",
        ),
        AssetCheckSpec(
            EXPECTATIONS_WARN,
            asset=key,
            description=f"WARN rules of the bronze.{table} suite: unusual but possible rows; never blocks.",
        ),
        AssetCheckSpec(
            ROW_VOLUME,
            asset=key,
            description=f"Each day's {table} row count against the same weekday of recent weeks; never blocks.",
        ),
    ]


def _run_days(context: AssetCheckExecutionContext) -> list[dt.date] | None:
    """The days the run covers; None (every day) when it is not a partitioned run."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return None
    return [dt.date.fromisoformat(key) for key in context.partition_keys]


def _results(
    context: AssetCheckExecutionContext, quality: "BronzeQuality", days: Sequence[dt.date] | None, docs: Path
) -> Iterator[AssetCheckResult]:
    scope = _partitions_text(days)
    for table, outcome in quality.tables.items():
        key = AssetKey([zone_of(table), table])
        for severity in Severity:
            failures = outcome.failures(severity)
            for failure in failures:
                (context.log.error if severity is Severity.ERROR else context.log.warning)(failure.summary())
            yield AssetCheckResult(
                asset_key=key,
                check_name=_CHECK_OF[severity],
                passed=not failures,
                severity=_DAGSTER_SEVERITY[severity],
                description=_describe(failures) if failures else None,
                metadata=_expectation_metadata(outcome, severity, scope, docs),
            )
        volumes = quality.volumes[table]
        anomalies = [volume for volume in volumes if volume.anomalous]
        yield AssetCheckResult(
            asset_key=key,
            check_name=ROW_VOLUME,
            passed=not anomalies,
            severity=AssetCheckSeverity.WARN,
            description=f"{len(anomalies)} day(s) with an unusual row count" if anomalies else None,
            metadata={
                "partitions": scope,
                "days judged": sum(volume.median is not None for volume in volumes),
                "anomalous days": len(anomalies),
                "days": MetadataValue.md(_volume_markdown(anomalies or volumes[-7:])),
            },
        )


def _expectation_metadata(outcome: TableOutcome, severity: Severity, scope: str, docs: Path) -> dict[str, Any]:
    checked, failures = outcome.of_severity(severity), outcome.failures(severity)
    return {
        "suite": outcome.suite,
        "partitions": scope,
        "rows checked": outcome.rows,
        "expectations": len(checked),
        "failed expectations": len(failures),
        "failing rows": sum(failure.failing_rows for failure in failures),
        "failures": MetadataValue.md(failures_markdown(failures)),
        "data docs": MetadataValue.path(str(docs)),
    }


def _describe(failures: Sequence[Any]) -> str:
    lines = [failure.summary() for failure in failures[:_DESCRIPTION_LINES]]
    more = len(failures) - len(lines)
    return "\n".join([*lines, f"... and {more} more"] if more else lines)


def _partitions_text(days: Sequence[dt.date] | None) -> str:
    if not days:
        return "all partitions"
    first, last = min(days), max(days)
    return f"{first}" if first == last else f"{first}..{last} ({len(set(days))} days)"


def _volume_markdown(volumes: Sequence[VolumeOutcome]) -> str:
    if not volumes:
        return "_no days_"
    lines = ["| day | rows | median | change | robust z | basis |", "| --- | --- | --- | --- | --- | --- |"]
    for volume in volumes:
        change = "" if volume.change is None else f"{volume.change:+.0%}"
        z = "" if volume.robust_z is None else f"{volume.robust_z:.1f}"
        median = "" if volume.median is None else f"{volume.median:g}"
        lines.append(f"| {volume.day} | {volume.rows} | {median} | {change} | {z} | {volume.basis} |")
    return "\n".join(lines)
