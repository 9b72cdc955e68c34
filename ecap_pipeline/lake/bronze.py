"""Writing to and reading from the lake's Delta tables (bronze and ground truth).

A write replaces whole days: the rows of the given partition dates are swapped for the new ones
in one Delta transaction, so re-running a day never duplicates it and never touches other days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from deltalake import DeltaTable, write_deltalake

from ecap_pipeline.lake.contracts import PARTITION_COLUMN, table_schema, zone_of
from ecap_pipeline.locks import exclusive_lock


@dataclass(frozen=True)
class BatchInfo:
    """Lineage stamped on every row of one write."""

    batch_id: str
    ingested_at: dt.datetime
    source: str


@dataclass(frozen=True)
class WriteResult:
    """What one write did to one table."""

    table: str
    path: Path
    rows_written: int
    partitions: tuple[dt.date, ...]
    version: int


def with_lake_columns(frame: pl.DataFrame, day: dt.date, batch: BatchInfo) -> pl.DataFrame:
    """`frame` (one day of one table) with the partition and lineage columns appended."""
    return frame.with_columns(
        pl.lit(day, dtype=pl.Date).alias(PARTITION_COLUMN),
        pl.lit(batch.ingested_at, dtype=pl.Datetime("us", "UTC")).alias("_ingested_at"),
        pl.lit(batch.batch_id, dtype=pl.String).alias("_batch_id"),
        pl.lit(batch.source, dtype=pl.String).alias("_source"),
    )


def replace_partitions(
    lake_root: Path,
    table: str,
    frame: pl.DataFrame,
    days: Sequence[dt.date],
    *,
    source: str | None = None,
) -> WriteResult:
    """Atomically replace the `days` partitions of lake `table` with the rows of `frame`.

    `frame` must follow the table's lake schema and hold only rows of `days`; a day with no
    rows is emptied. With `source`, only the rows of those days whose `_source` is `source` are
    replaced (the generator's rerun keeps the rows landed from files); `frame` must then hold
    only rows of that source. Writers of the same table are serialised by an OS file lock.
    """
    check_frame(table, frame, days, operation="replace_partitions")
    path = table_path(lake_root, table)
    predicate = f"{PARTITION_COLUMN} IN ({', '.join(repr(day.isoformat()) for day in sorted(set(days)))})"
    if source is not None:
        _check_source(table, frame, source)
        predicate += f" AND _source = {source!r}"
    # delta-rs detects a conflicting commit but fails the losing overwrite instead of retrying;
    # one writer per table at a time (threads, processes, Dagster workers) makes every commit land.
    with exclusive_lock(lake_root / "_locks" / f"{table}.lock"):
        write_deltalake(
            path,
            frame.to_arrow(),
            partition_by=[PARTITION_COLUMN],
            mode="overwrite",
            predicate=predicate if DeltaTable.is_deltatable(str(path)) else None,
        )
        version = DeltaTable(path).version()
    return WriteResult(table, path, frame.height, tuple(sorted(set(days))), version)


def check_frame(table: str, frame: pl.DataFrame, days: Sequence[dt.date], *, operation: str) -> list[dt.date]:
    """Raise ValueError unless `frame` follows `table`'s lake schema and holds only rows of `days`.

    Returns the partition dates present in `frame`, in order of first appearance.
    """
    if not days:
        msg = f"{operation}({table!r}) needs at least one partition date"
        raise ValueError(msg)
    schema = table_schema(table)
    if frame.schema != schema:
        msg = (
            f"{zone_of(table)} table {table!r}: frame schema {dict(frame.schema)} "
            f"does not match the contract {dict(schema)}"
        )
        raise ValueError(msg)
    present = frame.get_column(PARTITION_COLUMN).unique(maintain_order=True).to_list()
    allowed = set(days)
    outside = [day for day in present if day not in allowed]
    if outside:
        stray = frame.filter(pl.col(PARTITION_COLUMN).is_in(outside)).height
        msg = (
            f"{zone_of(table)} table {table!r}: {stray} row(s) fall outside the partitions being "
            f"replaced, e.g. {PARTITION_COLUMN}={outside[0]}"
        )
        raise ValueError(msg)
    return present


def _check_source(table: str, frame: pl.DataFrame, source: str) -> None:
    """Raise ValueError unless every row of `frame` comes from `source`."""
    stray = frame.filter(pl.col("_source") != source)
    if stray.height:
        msg = (
            f"{zone_of(table)} table {table!r}: replacing the rows of source {source!r}, but {stray.height} "
            f"row(s) have another _source, e.g. {stray.item(0, '_source')!r}"
        )
        raise ValueError(msg)


def table_path(lake_root: Path, table: str) -> Path:
    """Where `table` lives: `<lake_root>/<zone>/<table>`."""
    return lake_root / zone_of(table) / table


def read_table(lake_root: Path, table: str, days: Sequence[dt.date] | None = None) -> pl.DataFrame:
    """Rows of lake `table`, optionally only those of some partition dates."""
    path = table_path(lake_root, table)
    if not DeltaTable.is_deltatable(str(path)):
        return table_schema(table).to_frame()
    scan = pl.scan_delta(str(path))
    if days is not None:
        scan = scan.filter(pl.col(PARTITION_COLUMN).is_in(list(days)))
    return scan.collect()
