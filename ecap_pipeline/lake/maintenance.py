"""Keeping the lake's Delta tables small and lean: compaction, vacuum and the data retention policy.

Every operation takes the table's writer lock (the one the bronze writes take), so it never races
a write: delta-rs fails the loser of two conflicting commits instead of retrying it. Each is
idempotent, so a retried or repeated run does no harm.

- `compact_table` rewrites the small files of each day into fewer, larger ones (same rows).
- `vacuum_table` deletes the files no current version reads — replaced by a rerun, removed by
  compaction or retention, or written by a killed writer and never committed — once they are
  older than the retention. Time travel to a version needs its files, so the retention is also
  how far back a table can be restored; it never goes below `SAFE_RETENTION_HOURS` unless the
  caller overrides it explicitly.
- `drop_partitions_before` deletes whole days older than a cutoff; `retention_cutoff` turns a
  number of days to keep into that cutoff. The deleted days stay restorable until a vacuum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from deltalake import DeltaTable

from ecap_pipeline.lake.bronze import table_path
from ecap_pipeline.lake.contracts import PARTITION_COLUMN, zone_of
from ecap_pipeline.locks import exclusive_lock

SAFE_RETENTION_HOURS = 168
"""Seven days: Delta's own default, long enough for any reader or writer still using old files."""

RETENTION_EXEMPT: frozenset[str] = frozenset({"customers", "customer_lifetimes"})
"""Tables whose partition date is when an entity began (a signup), not an event: an old day holds
customers who still shop, so dropping it would orphan their orders and sessions."""


class UnsafeRetentionError(ValueError):
    """A vacuum was asked to delete files younger than the safe retention without the override."""


@dataclass(frozen=True)
class CompactionResult:
    """Live data files of one table before and after compaction."""

    table: str
    files_before: int
    files_after: int
    version: int


@dataclass(frozen=True)
class VacuumResult:
    """Files a vacuum deleted (or, on a dry run, would delete) from one table's folder."""

    table: str
    retention_hours: int
    deleted: tuple[str, ...]
    dry_run: bool


@dataclass(frozen=True)
class RetentionResult:
    """Days of one table that the retention policy deleted."""

    table: str
    cutoff: dt.date
    dropped_days: tuple[dt.date, ...]
    rows_deleted: int


def compact_table(lake_root: Path, table: str) -> CompactionResult:
    """Merge the small data files of each partition of lake `table`; its rows do not change."""
    path = _existing_table(lake_root, table)
    with _table_lock(lake_root, table):
        delta = DeltaTable(path)
        before = len(delta.file_uris())
        delta.optimize.compact()
        after = DeltaTable(path)
        return CompactionResult(table, before, len(after.file_uris()), after.version())


def vacuum_table(
    lake_root: Path,
    table: str,
    *,
    retention_hours: int = SAFE_RETENTION_HOURS,
    allow_short_retention: bool = False,
    dry_run: bool = False,
) -> VacuumResult:
    """Delete the files of lake `table` that no version newer than `retention_hours` reads.

    Raises `UnsafeRetentionError` for a retention below `SAFE_RETENTION_HOURS` unless
    `allow_short_retention` is set, and `ValueError` for a negative one. Full mode: files that
    were never committed (a killed writer's) go too, not only the ones a commit removed.
    """
    check_retention(table, retention_hours, allow_short_retention=allow_short_retention)
    path = _existing_table(lake_root, table)
    with _table_lock(lake_root, table):
        deleted = DeltaTable(path).vacuum(
            retention_hours=retention_hours,
            dry_run=dry_run,
            enforce_retention_duration=not allow_short_retention,
            full=True,
        )
    return VacuumResult(table, retention_hours, tuple(sorted(deleted)), dry_run)


def check_retention(table: str, retention_hours: int, *, allow_short_retention: bool) -> None:
    """Raise unless a vacuum of `table` with `retention_hours` is safe or explicitly overridden."""
    if retention_hours < 0:
        msg = f"vacuum of lake table {table!r}: retention_hours={retention_hours} must be 0 or more"
        raise ValueError(msg)
    if retention_hours < SAFE_RETENTION_HOURS and not allow_short_retention:
        msg = (
            f"vacuum of lake table {table!r} refused: retention_hours={retention_hours} is below the safe "
            f"minimum of {SAFE_RETENTION_HOURS} h (7 days). It would delete files that running readers or "
            "writers may still use and make older versions impossible to restore. Set "
            "allow_short_retention=True to do it anyway."
        )
        raise UnsafeRetentionError(msg)


def retention_cutoff(newest: dt.date, keep_days: int) -> dt.date:
    """The first day kept when only the `keep_days` days up to `newest` are kept."""
    if keep_days < 1:
        msg = f"the retention policy must keep at least one day, got keep_days={keep_days}"
        raise ValueError(msg)
    return newest - dt.timedelta(days=keep_days - 1)


def written_tables(lake_root: Path, tables: Sequence[str]) -> list[str]:
    """The tables of `tables` with at least one commit; the others have nothing to maintain."""
    return [table for table in tables if DeltaTable.is_deltatable(str(table_path(lake_root, table)))]


def newest_partition(lake_root: Path, table: str) -> dt.date | None:
    """The latest partition date that holds rows in lake `table`, or None when it has none."""
    path = table_path(lake_root, table)
    if not DeltaTable.is_deltatable(str(path)):
        return None
    days = _live_days(DeltaTable(path))
    return max(days) if days else None


def drop_partitions_before(lake_root: Path, table: str, cutoff: dt.date) -> RetentionResult:
    """Delete every partition of lake `table` dated before `cutoff`, in one Delta commit.

    Raises `ValueError` for a table in `RETENTION_EXEMPT`.
    """
    if table in RETENTION_EXEMPT:
        msg = f"lake table {table!r} is exempt from the retention policy: its partition date is a signup day"
        raise ValueError(msg)
    path = _existing_table(lake_root, table)
    with _table_lock(lake_root, table):
        delta = DeltaTable(path)
        dropped = tuple(sorted(day for day in _live_days(delta) if day < cutoff))
        if not dropped:
            return RetentionResult(table, cutoff, (), 0)
        metrics = delta.delete(f"{PARTITION_COLUMN} < '{cutoff.isoformat()}'")
    return RetentionResult(table, cutoff, dropped, int(metrics["num_deleted_rows"]))


def _live_days(delta: DeltaTable) -> set[dt.date]:
    actions = delta.get_add_actions(flatten=True)
    return {dt.date.fromisoformat(str(day)) for day in actions.column(f"partition.{PARTITION_COLUMN}").to_pylist()}


def _existing_table(lake_root: Path, table: str) -> Path:
    path = table_path(lake_root, table)
    if not DeltaTable.is_deltatable(str(path)):
        msg = f"{zone_of(table)} table {table!r}: no Delta table at {path} (nothing has been written to it yet)"
        raise FileNotFoundError(msg)
    return path


def _table_lock(lake_root: Path, table: str) -> AbstractContextManager[None]:
    """The lock every writer of `table` holds (see `replace_partitions`)."""
    return exclusive_lock(lake_root / "_locks" / f"{table}.lock")
