"""Check the bronze tables of some days: every suite, every foreign key, every day's row volume.

The rows checked are the given days' (the days a run wrote); the tables they refer to and the
row-count history are read whole, since a parent row or a comparable day may lie in any
partition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from deltalake import DeltaTable

from ecap_pipeline.lake.bronze import read_table, table_path
from ecap_pipeline.lake.contracts import BRONZE_TABLES, PARTITION_COLUMN
from ecap_pipeline.quality.frames import parent_key_columns, with_check_columns
from ecap_pipeline.quality.outcomes import TableOutcome
from ecap_pipeline.quality.validation import validate_tables
from ecap_pipeline.quality.volume import VolumeOutcome, volume_outcomes


@dataclass(frozen=True)
class BronzeQuality:
    """The suites' outcomes and the row-volume judgements of every checked table."""

    tables: dict[str, TableOutcome]
    volumes: dict[str, list[VolumeOutcome]]


def check_bronze(
    lake_root: Path,
    days: Sequence[dt.date] | None,
    *,
    run_name: str,
    docs_dir: Path | None = None,
    tables: Sequence[str] = BRONZE_TABLES,
) -> BronzeQuality:
    """Validate `tables` on `days` (None: every day) and judge each day's row volume.

    With `docs_dir`, the Data Docs site of this validation is written there.
    """
    frames = {}
    for table in tables:
        parents = {
            parent: _distinct(lake_root, parent, columns) for parent, columns in parent_key_columns(table).items()
        }
        frames[table] = with_check_columns(table, read_table(lake_root, table, days), parents)
    outcomes = validate_tables(frames, run_name=run_name, docs_dir=docs_dir)
    volumes = {}
    for table in tables:
        counts = partition_counts(lake_root, table)
        volumes[table] = volume_outcomes(counts, days if days is not None else sorted(counts))
    return BronzeQuality(outcomes, volumes)


def partition_counts(lake_root: Path, table: str) -> dict[dt.date, int]:
    """Rows per partition date of the whole table (no entry for a date without rows)."""
    scan = _scan(lake_root, table)
    if scan is None:
        return {}
    frame = scan.group_by(PARTITION_COLUMN).agg(pl.len().alias("rows")).collect()
    return dict(zip(frame[PARTITION_COLUMN].to_list(), frame["rows"].to_list(), strict=True))


def _distinct(lake_root: Path, table: str, columns: tuple[str, ...]) -> pl.DataFrame:
    scan = _scan(lake_root, table)
    if scan is None:
        return read_table(lake_root, table).select(columns)
    return scan.select(columns).unique().collect()


def _scan(lake_root: Path, table: str) -> pl.LazyFrame | None:
    path = table_path(lake_root, table)
    return pl.scan_delta(str(path)) if DeltaTable.is_deltatable(str(path)) else None
