"""The measurements, each meant to run in its own fresh process (see `isolate`).

Every function returns a plain dict so results cross the process boundary and land in the JSON
report unchanged. Seconds are wall-clock; `*_cpu_seconds` are the CPU seconds of the processes
doing the work (see `days.Spent`).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from genbench.days import EVENTS_TABLE, DayRange, DayResult, counting, day_pool, map_days, writing, writing_parquet
from genbench.writers import commit_days, directory_stats

from ecap_pipeline.lake.bronze import BatchInfo


def measure_generation(days: DayRange, workers: int) -> dict[str, Any]:
    """Generation alone: every table of every day, frames left where they were generated."""
    with day_pool(workers) as pool:
        started = time.perf_counter()
        per_day = map_days(pool, counting(days), days.dates())
        seconds = time.perf_counter() - started
    return _per_day_figures(per_day) | {"seconds": seconds}


def measure_generation_and_write(days: DayRange, workers: int, *, tmp_dir: str | None) -> dict[str, Any]:
    """Generation and the bronze Delta write of every day, as a backfill of the batch would make it.

    Each worker generates a day and writes its Delta data files straight into a fresh lake (only
    file metadata comes back); then this process commits every table once for the whole batch.
    The gen+write figure is the workers' wall time plus the commits. The write's own cost, for
    the Delta/Parquet ratio, is the workers' file writing (summed over days) plus the commits.
    """
    batch = _batch()
    with tempfile.TemporaryDirectory(prefix="ecap-bench-", dir=tmp_dir) as scratch:
        lake_root = Path(scratch) / "lake"
        with day_pool(workers) as pool:
            started = time.perf_counter()
            per_day = map_days(pool, writing(days, batch, lake_root), days.dates())
            pool_seconds = time.perf_counter() - started
        commit_cpu_started = time.process_time()
        commits = commit_days(lake_root, per_day, days.dates())  # after the pool's untimed shutdown
        commit_cpu = time.process_time() - commit_cpu_started
        stats = directory_stats([commits.paths[table] for table in commits.tables])
    files, files_cpu = (_write_seconds(per_day, cpu=cpu, tables=commits.tables) for cpu in (False, True))
    return _per_day_figures(per_day) | {
        "seconds": pool_seconds + commits.seconds(),
        "pool_seconds": pool_seconds,
        "files_seconds": files,
        "files_cpu_seconds": files_cpu,
        "commit_seconds": commits.seconds(),
        "commit_cpu_seconds": commit_cpu,
        "delta_write_seconds": files + commits.seconds(),
        "delta_write_cpu_seconds": files_cpu + commit_cpu,
        "commit_seconds_by_table": commits.seconds_by_table,
        "delta_rows_written": commits.rows_written,
        "delta_tables": commits.tables,
        "skipped_tables": {table: reason for day in per_day for table, reason in day.skipped.items()},
        "delta": vars(stats),
    }


def measure_generation_and_parquet(days: DayRange, workers: int, *, tmp_dir: str | None) -> dict[str, Any]:
    """The same days written by the workers as plain partitioned Parquet: the reference of the ratio."""
    batch = _batch()
    with tempfile.TemporaryDirectory(prefix="ecap-bench-", dir=tmp_dir) as scratch:
        root = Path(scratch) / "parquet"
        with day_pool(workers) as pool:
            started = time.perf_counter()
            per_day = map_days(pool, writing_parquet(days, batch, root), days.dates())
            seconds = time.perf_counter() - started
        stats = {table: vars(directory_stats([root / table])) for table in per_day[0].rows_by_table}
    return _per_day_figures(per_day) | {
        "seconds": seconds,
        "parquet_seconds_by_table": _write_seconds_by_table(per_day, cpu=False),
        "parquet_cpu_seconds_by_table": _write_seconds_by_table(per_day, cpu=True),
        "parquet_by_table": stats,
    }


def _batch() -> BatchInfo:
    return BatchInfo(batch_id="benchmark", ingested_at=dt.datetime.now(dt.UTC), source="benchmark")


def _per_day_figures(per_day: list[DayResult]) -> dict[str, Any]:
    """Row counts, columns, and the generation seconds summed over the days (so over the workers)."""
    rows: Counter[str] = Counter()
    for day in per_day:
        rows.update(day.rows_by_table)
    return {
        "events": rows.get(EVENTS_TABLE, 0),
        "rows_by_table": dict(rows),
        "columns_by_table": per_day[-1].columns_by_table if per_day else {},
        "generate_seconds": sum(day.generate.wall for day in per_day),
        "generate_cpu_seconds": sum(day.generate.cpu for day in per_day),
    }


def _write_seconds_by_table(per_day: list[DayResult], *, cpu: bool) -> dict[str, float]:
    total: Counter[str] = Counter()
    for day in per_day:
        total.update({table: spent.cpu if cpu else spent.wall for table, spent in day.write_by_table.items()})
    return dict(total)


def _write_seconds(per_day: list[DayResult], *, cpu: bool, tables: list[str]) -> float:
    by_table = _write_seconds_by_table(per_day, cpu=cpu)
    return sum(by_table[table] for table in tables)
