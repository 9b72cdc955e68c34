"""A built shop per rung: bronze and ground truth written as the pipeline writes them, then `dbt build`.

Building is not what the model benchmark measures, so it happens once per rung, untimed; the
models then read the warehouse and the lake exactly as their assets do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
from genbench.days import DayRange
from whbench.lake import prepare_lake
from whbench.runs import run_dbt

from ecap_pipeline.lake.bronze import read_table


@dataclass(frozen=True)
class Shop:
    """A built rung: where its lake and warehouse are, and what it holds."""

    days: DayRange
    data_dir: Path
    rows: dict[str, int]

    @property
    def first_day(self) -> dt.date:
        return self.days.start

    @property
    def last_day(self) -> dt.date:
        return self.days.dates()[-1]

    def query(self, sql: str) -> pl.DataFrame:
        """`sql` on a read-only connection to the rung's warehouse."""
        with duckdb.connect(str(self.data_dir / "warehouse" / "ecap.duckdb"), read_only=True) as connection:
            return pl.from_arrow(connection.sql(sql).to_arrow_table())

    def lake_table(self, table: str) -> pl.DataFrame:
        return read_table(self.data_dir / "lake", table)


def build_shop(days: DayRange, data_dir: Path, *, workers: int) -> Shop:
    """Write the rung's lake and build its warehouse with `dbt build`."""
    rows = prepare_lake(days, data_dir, workers=workers)
    target = data_dir / "dbt"
    target.mkdir(parents=True, exist_ok=True)
    (data_dir / "warehouse").mkdir(exist_ok=True)
    run_dbt(["build"], data_dir=data_dir, target=target)
    return Shop(days, data_dir, rows)
