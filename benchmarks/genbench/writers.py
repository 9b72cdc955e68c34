"""The two writes being compared: bronze Delta (the pipeline's) and plain partitioned Parquet.

Both take the same concatenated polars frames, one per table for the whole batch of days, and
both convert to Arrow inside the timed section (the Delta writer does so itself), so the ratio
compares the cost of Delta's transaction log and partition replacement against the bare
Parquet encoding of the same data with the same `partition_date=` layout.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from ecap_pipeline.lake.bronze import replace_partitions
from ecap_pipeline.lake.contracts import PARTITION_COLUMN

BYTES_PER_MB = 1024 * 1024


@dataclass
class WriteTiming:
    """What one write of a batch cost and produced."""

    seconds_by_table: dict[str, float] = field(default_factory=dict)
    """Seconds spent on each table that was written."""
    paths: dict[str, Path] = field(default_factory=dict)
    """Where each written table landed (the writer picks the zone directory)."""
    rows_written: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    """Tables the writer refused, with its reason (e.g. ground truth that is not bronze)."""

    @property
    def tables(self) -> list[str]:
        """The tables that were written, in order."""
        return list(self.seconds_by_table)

    def seconds(self, tables: list[str] | None = None) -> float:
        """Time spent on `tables` (all written ones by default)."""
        return sum(self.seconds_by_table[table] for table in (self.tables if tables is None else tables))


@dataclass(frozen=True)
class DirectoryStats:
    """Size and file counts of a written directory tree."""

    megabytes: float
    data_files: int
    commits: int


def write_delta(lake_root: Path, tables: dict[str, pl.DataFrame], days: Sequence[dt.date]) -> WriteTiming:
    """One `replace_partitions` commit per table for the whole batch, as the pipeline writes.

    A table the bronze writer does not know (KeyError) or whose frame breaks its contract
    (ValueError) is skipped and named, not fatal: the generator grows while this runs, and one
    table out of contract should not hide the figures of the others.
    """
    timing = WriteTiming()
    for table, frame in tables.items():
        started = time.perf_counter()
        try:
            result = replace_partitions(lake_root, table, frame, days)
        except (KeyError, ValueError) as error:
            timing.skipped[table] = f"{type(error).__name__}: {error}"[:300]
            continue
        timing.seconds_by_table[table] = time.perf_counter() - started
        timing.paths[table] = result.path
        timing.rows_written += result.rows_written
    return timing


def write_parquet(root: Path, tables: dict[str, pl.DataFrame]) -> WriteTiming:
    """The same frames as plain Parquet, one dataset per table partitioned by `partition_date`."""
    timing = WriteTiming()
    for table, frame in tables.items():
        started = time.perf_counter()
        pq.write_to_dataset(frame.to_arrow(), root_path=str(root / table), partition_cols=[PARTITION_COLUMN])
        timing.seconds_by_table[table] = time.perf_counter() - started
        timing.paths[table] = root / table
        timing.rows_written += frame.height
    return timing


def directory_stats(roots: list[Path]) -> DirectoryStats:
    """Bytes under `roots`, their Parquet data files, and their Delta commits (`_delta_log/*.json`)."""
    files = [path for root in roots for path in root.rglob("*") if path.is_file()]
    return DirectoryStats(
        megabytes=sum(path.stat().st_size for path in files) / BYTES_PER_MB,
        data_files=sum(path.suffix == ".parquet" and path.parent.name != "_delta_log" for path in files),
        commits=sum(path.suffix == ".json" and path.parent.name == "_delta_log" for path in files),
    )
