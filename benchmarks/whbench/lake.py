"""A bronze lake of a calibrated rung, written the way the pipeline writes it.

Preparing the lake is not what this benchmark measures, so it is done once per rung, untimed:
days are generated on the worker pool in chunks (memory stays bounded by one chunk), and each
chunk is written per table with `replace_partitions`, the pipeline's own write path, so dbt
reads exactly the layout it reads in production.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from genbench.days import DayRange, bronzing, day_pool, map_days

from ecap_pipeline.lake.bronze import BatchInfo, replace_partitions
from ecap_pipeline.lake.contracts import BRONZE_TABLES

CHUNK_DAYS = 8


def prepare_lake(days: DayRange, data_dir: Path, *, workers: int) -> dict[str, int]:
    """Write every bronze table of `days` under `data_dir/lake`; rows per table."""
    batch = BatchInfo(batch_id="warehouse-benchmark", ingested_at=dt.datetime.now(dt.UTC), source="benchmark")
    rows = dict.fromkeys(BRONZE_TABLES, 0)
    dates = days.dates()
    with day_pool(workers) as pool:
        for first in range(0, len(dates), CHUNK_DAYS):
            chunk = dates[first : first + CHUNK_DAYS]
            generated = map_days(pool, bronzing(days, batch), chunk)
            for table in BRONZE_TABLES:
                frame = pl.concat([day[table] for day in generated], how="vertical")
                replace_partitions(data_dir / "lake", table, frame, chunk)
                rows[table] += frame.height
    return rows
