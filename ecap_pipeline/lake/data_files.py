"""Replacing days of a lake table in two steps: data files written anywhere, then one Delta commit.

`replace_partitions` writes a whole batch of days from the one process that holds all their rows.
For a batch of many days that means every day's rows in memory at once. Here the same
replacement is split so the rows never have to meet:

1. `write_data_files` (any process, no lock) writes a frame's rows as Delta data files into the
   table's folder (one Parquet file per partition date, `partition_date=YYYY-MM-DD/`, a unique
   name each) and returns only their description (`DataFile`: path, size, rows, partition,
   column statistics), which is small enough to send between processes.
2. `commit_data_files` (one process, under the table's lock) adds those files and removes every
   file of the replaced days in ONE Delta commit — the replacement `replace_partitions` makes:
   atomic, only the given days, a rerun replaces rather than duplicates.

Until the commit the new files are invisible: Delta readers take the list of files from the
table's log, never from its folder. A crash before the commit leaves the table at its previous
version, with the written files as strays that nothing reads (a Delta vacuum deletes them), just
like the files a rerun replaces.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
from deltalake import DeltaTable, Schema
from deltalake.transaction import AddAction, create_table_with_add_actions

from ecap_pipeline.lake.bronze import WriteResult, check_frame, table_path
from ecap_pipeline.lake.contracts import PARTITION_COLUMN, table_schema, zone_of
from ecap_pipeline.locks import exclusive_lock

COMPRESSION = "snappy"
"""The codec of the data files: the one `write_deltalake` uses, fast to write and to read."""


@dataclass(frozen=True)
class DataFile:
    """One Parquet data file in a table's folder, written but not yet part of any Delta version."""

    table: str
    path: str
    """Relative to the table's folder, with `/` separators: `partition_date=2025-09-01/part-….parquet`."""
    partition: dt.date
    size: int
    """Bytes on disk; the commit checks the file still has them."""
    rows: int
    modified_ms: int
    """Modification time in milliseconds since the epoch, as Delta's log records it."""
    stats: str
    """Delta column statistics (JSON: numRecords, minValues, maxValues, nullCount) for file skipping."""


def write_data_files(lake_root: Path, table: str, frame: pl.DataFrame, days: Sequence[dt.date]) -> list[DataFile]:
    """Write the rows of `frame` (lake schema, rows of `days` only) as data files of lake `table`.

    One file per partition date present in `frame`; a day without rows gets no file (committing
    it still empties that day). Raises like `replace_partitions` on a frame out of contract. Takes
    no lock: every file has a new name, and nothing reads it before `commit_data_files`.
    """
    present = check_frame(table, frame, days, operation="write_data_files")
    folder = table_path(lake_root, table)
    if len(present) == 1:
        parts = {present[0]: frame.drop(PARTITION_COLUMN)}
    else:
        parts = {
            key[0]: rows for key, rows in frame.partition_by(PARTITION_COLUMN, as_dict=True, include_key=False).items()
        }
    return [_write_file(folder, table, day, rows) for day, rows in parts.items()]


def commit_data_files(
    lake_root: Path, table: str, files: Sequence[DataFile], days: Sequence[dt.date], *, source: str | None = None
) -> WriteResult:
    """Atomically replace the `days` partitions of lake `table` with `files`, in one Delta commit.

    Every file must belong to `table`, fall on one of `days` and still be on disk as written. A
    day of `days` without files is emptied; other days are untouched. With `source` (the `_source`
    of every row in `files`), only that source's rows are replaced: rows of those days from other
    sources, such as files landed by a shop, are rewritten into new files of the same commit, so
    a generator rerun never loses them. Creates the table if it does not exist yet. Writers of
    the same table are serialised by the same OS file lock as `replace_partitions`.
    """
    if not days:
        msg = f"commit_data_files({table!r}) needs at least one partition date"
        raise ValueError(msg)
    replaced = sorted(set(days))
    path = table_path(lake_root, table)
    _check_files(table, path, files, replaced)
    actions = [_add_action(file) for file in files]
    schema = delta_schema(table)
    with exclusive_lock(lake_root / "_locks" / f"{table}.lock"):
        if DeltaTable.is_deltatable(str(path)):
            existing = DeltaTable(path)
            _check_table(table, existing, schema)
            if source is not None:
                kept = _rows_of_other_sources(path, replaced, source)
                actions += [_add_action(file) for file in write_data_files(lake_root, table, kept, replaced)]
            existing.create_write_transaction(
                actions,
                mode="overwrite",
                schema=schema,
                partition_by=[PARTITION_COLUMN],
                partition_filters=[(PARTITION_COLUMN, "in", [day.isoformat() for day in replaced])],
            )
        else:
            create_table_with_add_actions(str(path), schema, actions, mode="error", partition_by=[PARTITION_COLUMN])
        version = DeltaTable(path).version()
    return WriteResult(table, path, sum(file.rows for file in files), tuple(replaced), version)


def _add_action(file: DataFile) -> AddAction:
    return AddAction(
        path=file.path,
        size=file.size,
        partition_values={PARTITION_COLUMN: file.partition.isoformat()},
        modification_time=file.modified_ms,
        data_change=True,
        stats=file.stats,
    )


def _rows_of_other_sources(path: Path, days: Sequence[dt.date], source: str) -> pl.DataFrame:
    """The table's rows on `days` whose `_source` is not `source` (read under the writer lock)."""
    return (
        pl.scan_delta(str(path))
        .filter(pl.col(PARTITION_COLUMN).is_in(list(days)) & (pl.col("_source") != source))
        .collect()
    )


@cache
def delta_schema(table: str) -> Schema:
    """The Delta schema of lake `table`, as `write_deltalake` derives it from a contract frame."""
    return Schema.from_arrow(table_schema(table).to_frame().to_arrow().schema)


def _write_file(folder: Path, table: str, day: dt.date, rows: pl.DataFrame) -> DataFile:
    relative = f"{PARTITION_COLUMN}={day.isoformat()}/part-00000-{uuid.uuid4()}-c000.{COMPRESSION}.parquet"
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # The streaming sink spends less CPU than `write_parquet` on a large day (which wastes it across threads).
    rows.lazy().sink_parquet(target, compression=COMPRESSION, statistics=True)
    written = target.stat()
    return DataFile(
        table=table,
        path=relative,
        partition=day,
        size=written.st_size,
        rows=rows.height,
        modified_ms=written.st_mtime_ns // 1_000_000,
        stats=file_stats(target),
    )


def file_stats(path: Path) -> str:
    """Delta's statistics of the Parquet file at `path`, taken from the ones in its footer.

    Delta records per file its row count and, per column, the minimum, maximum and null count,
    which is what the Parquet writer already computed per row group: reading the footer back
    costs a fraction of a millisecond, computing them again would cost more than the write's
    own statistics. A column whose footer has no minimum or maximum (all null) gets none in Delta
    either, which readers take as unknown. Long strings are cut by the writer into bounds that
    remain true (a shorter minimum, a raised maximum); timestamps, which Delta records in
    milliseconds, are rounded down for the minimum and up for the maximum, for the same reason.
    """
    metadata = pq.read_metadata(path)
    names = metadata.schema.names
    chunks_by_column: list[list[Any]] = [[] for _ in names]
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for position, chunks in enumerate(chunks_by_column):
            chunks.append(row_group.column(position).statistics)
    minimum: dict[str, Any] = {}
    maximum: dict[str, Any] = {}
    nulls: dict[str, int] = {}
    for name, chunks in zip(names, chunks_by_column, strict=True):
        if not chunks or any(chunk is None or not chunk.has_null_count for chunk in chunks):
            continue
        nulls[name] = sum(chunk.null_count for chunk in chunks)
        valued = [chunk for chunk in chunks if chunk.num_values]
        if valued and all(chunk.has_min_max for chunk in valued):
            low = _stat_value(min(chunk.min for chunk in valued), round_up=False)
            high = _stat_value(max(chunk.max for chunk in valued), round_up=True)
            if low is not None and high is not None:
                minimum[name], maximum[name] = low, high
    stats = {"numRecords": metadata.num_rows, "minValues": minimum, "maxValues": maximum, "nullCount": nulls}
    return json.dumps(stats, separators=(",", ":"))


def _stat_value(value: object, *, round_up: bool) -> object:
    """A min or max as Delta's JSON statistics spell it, or None when there is none to record."""
    if isinstance(value, dt.datetime):
        extra = value.microsecond % 1000
        if extra:
            value -= dt.timedelta(microseconds=extra)
            if round_up:
                value += dt.timedelta(milliseconds=1)
        return f"{value.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _check_files(table: str, folder: Path, files: Sequence[DataFile], days: list[dt.date]) -> None:
    """Raise ValueError unless every file belongs to `table`, falls on `days` and is on disk as written."""
    allowed = set(days)
    for file in files:
        if file.table != table:
            msg = f"{zone_of(table)} table {table!r}: data file {file.path} was written for table {file.table!r}"
            raise ValueError(msg)
        if file.partition not in allowed:
            msg = (
                f"{zone_of(table)} table {table!r}: data file {file.path} falls outside the partitions being "
                f"replaced ({PARTITION_COLUMN}={file.partition})"
            )
            raise ValueError(msg)
        on_disk = folder / file.path
        if not on_disk.is_file() or on_disk.stat().st_size != file.size:
            msg = f"{zone_of(table)} table {table!r}: data file {on_disk} is missing or changed since it was written"
            raise ValueError(msg)


def _check_table(table: str, existing: DeltaTable, schema: Schema) -> None:
    """Raise ValueError unless the table on disk has the contract's schema and partitioning."""
    partitioning = existing.metadata().partition_columns
    if existing.schema() != schema or partitioning != [PARTITION_COLUMN]:
        msg = (
            f"{zone_of(table)} table {table!r} on disk (partitioned by {partitioning}) has the schema "
            f"{existing.schema().to_json()}, not the contract's {schema.to_json()}"
        )
        raise ValueError(msg)
