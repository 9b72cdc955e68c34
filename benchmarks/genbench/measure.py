"""The measurements, each meant to run in its own fresh process (see `isolate`).

Every function returns a plain dict so results cross the process boundary and land in the JSON
report unchanged.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
from genbench.days import EVENTS_TABLE, DayRange, bronzing, counting, day_pool, map_days
from genbench.writers import directory_stats, write_delta, write_parquet

from ecap_pipeline.lake.bronze import BatchInfo


def measure_generation(days: DayRange, workers: int) -> dict[str, Any]:
    """Generation alone: every table of every day, frames left where they were generated."""
    with day_pool(workers) as pool:
        started = time.perf_counter()
        per_day = map_days(pool, counting(days), days.dates())
        seconds = time.perf_counter() - started
    rows = _sum_counts(per_day)
    return {"seconds": seconds, "events": rows.get(EVENTS_TABLE, 0), "rows_by_table": rows}


def measure_generation_and_write(
    days: DayRange, workers: int, *, tmp_dir: str | None, parquet_first: bool
) -> dict[str, Any]:
    """Generation, then one Delta commit per table for the batch; the same frames also as Parquet.

    The gen+write figure is generation (with the transfer of frames from the workers) plus the
    concatenation plus the Delta write. The Parquet write is timed on its own, for the ratio;
    `parquet_first` alternates which of the two writes meets the warmer page cache.
    """
    batch = BatchInfo(batch_id="benchmark", ingested_at=dt.datetime.now(dt.UTC), source="benchmark")
    with day_pool(workers) as pool:
        started = time.perf_counter()
        per_day = map_days(pool, bronzing(days, batch), days.dates())
        generate_seconds = time.perf_counter() - started
    concat_started = time.perf_counter()  # after the pool's shutdown, which is not the data's cost
    tables = _concat_days(per_day)
    del per_day
    concat_seconds = time.perf_counter() - concat_started
    with tempfile.TemporaryDirectory(prefix="ecap-bench-", dir=tmp_dir) as scratch:
        delta_root, parquet_root = Path(scratch) / "lake", Path(scratch) / "parquet"
        if parquet_first:  # a table Delta then refuses is left out of the comparison below
            parquet = write_parquet(parquet_root, tables)
        delta = write_delta(delta_root, tables, days.dates())
        if not parquet_first:
            parquet = write_parquet(parquet_root, {table: tables[table] for table in delta.tables})
        delta_stats = directory_stats([delta.paths[table] for table in delta.tables])
        parquet_stats = directory_stats([parquet.paths[table] for table in delta.tables])
    return {
        "generate_seconds": generate_seconds,
        "concat_seconds": concat_seconds,
        "delta_write_seconds": delta.seconds(),
        "seconds": generate_seconds + concat_seconds + delta.seconds(),
        "parquet_write_seconds": parquet.seconds(delta.tables),
        "delta_seconds_by_table": delta.seconds_by_table,
        "parquet_seconds_by_table": parquet.seconds_by_table,
        "parquet_first": parquet_first,
        "events": tables[EVENTS_TABLE].height if EVENTS_TABLE in tables else 0,
        "rows_by_table": {table: frame.height for table, frame in tables.items()},
        "columns_by_table": {table: frame.columns for table, frame in tables.items()},
        "delta_rows_written": delta.rows_written,
        "delta_tables": delta.tables,
        "skipped_tables": delta.skipped,
        "delta": vars(delta_stats),
        "parquet": vars(parquet_stats),
    }


def _sum_counts(per_day: list[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for counts in per_day:
        total.update(counts)
    return dict(total)


def _concat_days(per_day: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """One frame per table for the whole batch (tables absent on some days are still kept)."""
    names = list(dict.fromkeys(table for day in per_day for table in day))
    return {table: pl.concat([day[table] for day in per_day if table in day]) for table in names}
