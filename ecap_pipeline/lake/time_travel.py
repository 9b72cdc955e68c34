"""Time travel: list a lake table's versions and restore it to an earlier one.

A restore is itself a new commit that makes the table read as version N did, so it can be undone
by restoring again; nothing is rewritten. It needs version N's data files, which a vacuum deletes
once they are older than its retention: that is how far back a restore can go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from deltalake import DeltaTable
from deltalake.exceptions import DeltaError

from ecap_pipeline.lake.bronze import table_path
from ecap_pipeline.lake.contracts import zone_of
from ecap_pipeline.locks import exclusive_lock


@dataclass(frozen=True)
class TableVersion:
    """One commit of a lake table."""

    version: int
    committed_at: dt.datetime
    operation: str


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the version read before, the version restored, the new commit."""

    table: str
    previous_version: int
    restored_version: int
    new_version: int


def table_versions(lake_root: Path, table: str) -> list[TableVersion]:
    """Every version of lake `table` still in its log, oldest first."""
    delta = _open(lake_root, table)
    return sorted(
        (
            TableVersion(
                version=int(entry["version"]),
                committed_at=dt.datetime.fromtimestamp(entry["timestamp"] / 1000, tz=dt.UTC),
                operation=str(entry.get("operation", "?")),
            )
            for entry in delta.history()
        ),
        key=lambda entry: entry.version,
    )


def restore_table(lake_root: Path, table: str, version: int) -> RestoreResult:
    """Make lake `table` read as it did at `version`, with a new commit.

    Raises `KeyError` for an unknown table, `FileNotFoundError` for a table never written and
    `ValueError` for a version the table does not have or can no longer be restored to.
    """
    delta = _open(lake_root, table)
    versions = [entry.version for entry in table_versions(lake_root, table)]
    if version not in versions:
        msg = (
            f"{zone_of(table)} table {table!r} has no version {version}: "
            f"its log holds versions {min(versions)} to {max(versions)}"
        )
        raise ValueError(msg)
    with exclusive_lock(lake_root / "_locks" / f"{table}.lock"):
        delta = DeltaTable(delta.table_uri)
        previous = delta.version()
        try:
            delta.restore(version)
        except DeltaError as error:
            msg = (
                f"{zone_of(table)} table {table!r} cannot be restored to version {version}: {error}. "
                "A vacuum may have deleted that version's data files."
            )
            raise ValueError(msg) from error
        return RestoreResult(table, previous, version, DeltaTable(delta.table_uri).version())


def _open(lake_root: Path, table: str) -> DeltaTable:
    path = table_path(lake_root, table)  # raises KeyError naming the known tables
    if not DeltaTable.is_deltatable(str(path)):
        msg = f"{zone_of(table)} table {table!r}: no Delta table at {path} (nothing has been written to it yet)"
        raise FileNotFoundError(msg)
    return DeltaTable(path)
