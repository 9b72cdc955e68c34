"""A lake of a calibrated rung (bronze and ground truth), written the way the pipeline writes it.

Preparing the lake is not what the warehouse and model benchmarks measure, so it is done once per
rung, untimed: workers generate days in chunks and write each day's Delta data files, and the
parent commits them once per table and chunk (memory stays bounded by one chunk), so dbt and the
models read exactly the layout they read in production.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from genbench.days import DayRange, day_pool, map_days, writing
from genbench.writers import commit_days

from ecap_pipeline.lake.bronze import BatchInfo
from ecap_pipeline.lake.contracts import BRONZE_TABLES, GROUND_TRUTH_TABLES

CHUNK_DAYS = 8


def prepare_lake(days: DayRange, data_dir: Path, *, workers: int) -> dict[str, int]:
    """Write every bronze and ground-truth table of `days` under `data_dir/lake`; rows per table."""
    batch = BatchInfo(batch_id="benchmark", ingested_at=dt.datetime.now(dt.UTC), source="benchmark")
    rows = dict.fromkeys((*BRONZE_TABLES, *GROUND_TRUTH_TABLES), 0)
    dates = days.dates()
    lake_root = data_dir / "lake"
    with day_pool(workers) as pool:
        for first in range(0, len(dates), CHUNK_DAYS):
            chunk = dates[first : first + CHUNK_DAYS]
            per_day = map_days(pool, writing(days, batch, lake_root), chunk)
            refused = {table: reason for day in per_day for table, reason in day.skipped.items()}
            if refused:
                msg = f"the lake writer refused table(s) of {chunk[0]}..{chunk[-1]}: {refused}"
                raise RuntimeError(msg)
            commit_days(lake_root, per_day, chunk)
            for day in per_day:
                for table, count in day.rows_by_table.items():
                    rows[table] += count
    return rows
