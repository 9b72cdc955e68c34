"""Lake maintenance (compaction, vacuum, retention) as a Dagster resource, configured from settings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dagster import ConfigurableResource

from ecap_pipeline.lake.maintenance import (
    RETENTION_EXEMPT,
    SAFE_RETENTION_HOURS,
    CompactionResult,
    RetentionResult,
    VacuumResult,
    compact_table,
    drop_partitions_before,
    newest_partition,
    retention_cutoff,
    vacuum_table,
    written_tables,
)


class LakeMaintenanceResource(ConfigurableResource):
    """Maintains the Delta tables under `<data_dir>/lake`; `retention_days` None keeps every day."""

    data_dir: str
    retention_days: int | None = None

    @property
    def root(self) -> Path:
        return Path(self.data_dir) / "lake"

    def existing(self, tables: Sequence[str]) -> list[str]:
        """The tables of `tables` that have been written at least once (the others have nothing to maintain)."""
        return written_tables(self.root, tables)

    def compact(self, table: str) -> CompactionResult:
        """Merge the small files of each day of `table`."""
        return compact_table(self.root, table)

    def vacuum(
        self, table: str, *, retention_hours: int = SAFE_RETENTION_HOURS, allow_short_retention: bool = False
    ) -> VacuumResult:
        """Delete the files of `table` no version within `retention_hours` reads."""
        return vacuum_table(
            self.root, table, retention_hours=retention_hours, allow_short_retention=allow_short_retention
        )

    def apply_retention(self, tables: Sequence[str]) -> list[RetentionResult]:
        """Drop the days older than `retention_days` (counted back from the newest day of any table).

        Nothing happens when `retention_days` is None or no table has rows; tables in
        `RETENTION_EXEMPT` are skipped.
        """
        if self.retention_days is None:
            return []
        newest = [day for table in tables if (day := newest_partition(self.root, table)) is not None]
        if not newest:
            return []
        cutoff = retention_cutoff(max(newest), self.retention_days)
        return [
            drop_partitions_before(self.root, table, cutoff)
            for table in self.existing(tables)
            if table not in RETENTION_EXEMPT
        ]
