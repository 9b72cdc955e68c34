"""The two writes being compared: bronze Delta (the pipeline's) and plain partitioned Parquet.

Both are made by the worker processes, a day at a time, right after generating it: the Delta
data files with `write_data_files` (polars' Parquet writer plus Delta's per-file statistics), the
plain Parquet with the same polars writer and codec in the same `partition_date=` layout. The
Delta write then ends in the parent with one commit per table over all days
(`commit_data_files`), which the plain Parquet does without. So the ratio compares the cost of
Delta — statistics, transaction log, partition replacement — against the bare Parquet encoding
of the same rows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from genbench.days import DayResult

from ecap_pipeline.lake.bronze import table_path
from ecap_pipeline.lake.data_files import DataFile, commit_data_files

BYTES_PER_MB = 1024 * 1024


@dataclass
class CommitTiming:
    """What committing a batch of written days cost and produced."""

    seconds_by_table: dict[str, float] = field(default_factory=dict)
    """Seconds spent on each table's commit."""
    paths: dict[str, Path] = field(default_factory=dict)
    """Where each committed table lives (the writer picks the zone directory)."""
    rows_written: int = 0

    @property
    def tables(self) -> list[str]:
        """The tables that were committed, in order."""
        return list(self.seconds_by_table)

    def seconds(self) -> float:
        """Time spent on every commit."""
        return sum(self.seconds_by_table.values())


@dataclass(frozen=True)
class DirectoryStats:
    """Size and file counts of a written directory tree."""

    megabytes: float
    data_files: int
    commits: int


def commit_days(lake_root: Path, per_day: list[DayResult], days: Sequence[dt.date]) -> CommitTiming:
    """One `commit_data_files` per table for the whole batch of days, as a backfill would commit.

    A table some worker could not write (see `DayResult.skipped`) is not committed at all.
    """
    skipped = {table for day in per_day for table in day.skipped}
    files: dict[str, list[DataFile]] = {}
    for day in per_day:
        for table, written in day.files_by_table.items():
            files.setdefault(table, []).extend(written)
    timing = CommitTiming()
    for table in [table for table in files if table not in skipped]:
        started = time.perf_counter()
        result = commit_data_files(lake_root, table, files[table], days)
        timing.seconds_by_table[table] = time.perf_counter() - started
        timing.paths[table] = table_path(lake_root, table)
        timing.rows_written += result.rows_written
    return timing


def directory_stats(roots: list[Path]) -> DirectoryStats:
    """Bytes under `roots`, their Parquet data files, and their Delta commits (`_delta_log/*.json`)."""
    files = [path for root in roots for path in root.rglob("*") if path.is_file()]
    return DirectoryStats(
        megabytes=sum(path.stat().st_size for path in files) / BYTES_PER_MB,
        data_files=sum(path.suffix == ".parquet" and path.parent.name != "_delta_log" for path in files),
        commits=sum(path.suffix == ".json" and path.parent.name == "_delta_log" for path in files),
    )
