"""Generating a range of days, in-process or on a pool of worker processes.

Days are independent by design (same config + same day = same data), so a batch of days maps
onto worker processes with no coordination. A worker writes the files of its day itself; only
small results (row counts, file metadata, timings) travel back to the caller.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from multiprocessing import get_context
from pathlib import Path
from typing import TypeVar

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import generate_day
from ecap_pipeline.generate.scales import get_scale
from ecap_pipeline.lake.bronze import BatchInfo, with_lake_columns
from ecap_pipeline.lake.contracts import PARTITION_COLUMN
from ecap_pipeline.lake.data_files import COMPRESSION, DataFile, write_data_files

T = TypeVar("T")
EVENTS_TABLE = "events"


@dataclass(frozen=True)
class DayRange:
    """Which shop and which consecutive days a measurement generates.

    It names the scale preset rather than holding a `ShopConfig`: it crosses process boundaries
    with every task, and a few plain values are cheaper to send than the config's knobs. Each
    process builds the config once from them (`shop_config`).
    """

    scale: str
    seed: int
    start: dt.date
    days: int

    def config(self) -> ShopConfig:
        """The shop: it opens on the first benchmarked day, as a fresh pipeline would."""
        return shop_config(self.scale, self.seed, self.start)

    def dates(self) -> list[dt.date]:
        """Every day of the range, in order."""
        return [self.start + dt.timedelta(days=offset) for offset in range(self.days)]


@lru_cache(maxsize=8)
def shop_config(scale: str, seed: int, opening_date: dt.date) -> ShopConfig:
    """One config object per process and shop, so the generator's per-config caches are reused."""
    return ShopConfig(seed=seed, scale=get_scale(scale), opening_date=opening_date)


@contextmanager
def day_pool(workers: int) -> Iterator[Executor | None]:
    """A started, warmed pool of `workers` processes, or None to generate in-process.

    The pool is warmed (processes spawned, generator imported) before the caller starts its
    clock: process start-up is a one-off of the tool, not a cost per generated day.
    """
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        list(pool.map(_warm_up, range(workers * 2)))
        yield pool


def map_days(pool: Executor | None, func: Callable[[dt.date], T], dates: Sequence[dt.date]) -> list[T]:
    """`func` over `dates`, in order, on the pool when there is one."""
    if pool is None:
        return [func(day) for day in dates]
    return list(pool.map(func, dates, chunksize=1))


@dataclass
class DayWritten:
    """What writing one day left behind, sent back from the worker instead of the day's rows."""

    generate_seconds: float
    write_seconds_by_table: dict[str, float] = field(default_factory=dict)
    """Per table: adding the lake columns and writing the files (for Delta, with their statistics)."""
    rows_by_table: dict[str, int] = field(default_factory=dict)
    columns_by_table: dict[str, list[str]] = field(default_factory=dict)
    files_by_table: dict[str, list[DataFile]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    """Tables the bronze writer refused, with its reason."""


def count_day(shop: DayRange, day: dt.date) -> dict[str, int]:
    """Rows per table of one generated day; the frames stay in the worker (generation alone)."""
    return {table: frame.height for table, frame in generate_day(shop.config(), day).items()}


def write_day(shop: DayRange, batch: BatchInfo, lake_root: Path, day: dt.date) -> DayWritten:
    """Generate one day and write its bronze data files into the lake, uncommitted; only their metadata returns."""
    started = time.perf_counter()
    tables = generate_day(shop.config(), day)
    written = DayWritten(generate_seconds=time.perf_counter() - started)
    for table, frame in tables.items():
        written.rows_by_table[table] = frame.height
        written.columns_by_table[table] = frame.columns
        table_started = time.perf_counter()
        try:
            written.files_by_table[table] = write_data_files(
                lake_root, table, with_lake_columns(frame, day, batch), [day]
            )
        except (KeyError, ValueError) as error:
            written.skipped[table] = f"{type(error).__name__}: {error}"[:300]
        written.write_seconds_by_table[table] = time.perf_counter() - table_started
    return written


def parquet_day(shop: DayRange, batch: BatchInfo, root: Path, day: dt.date) -> DayWritten:
    """Generate one day and write it as plain partitioned Parquet: the same encoder, no Delta log or its statistics."""
    started = time.perf_counter()
    tables = generate_day(shop.config(), day)
    written = DayWritten(generate_seconds=time.perf_counter() - started)
    for table, frame in tables.items():
        written.rows_by_table[table] = frame.height
        written.columns_by_table[table] = frame.columns
        table_started = time.perf_counter()
        with_lake_columns(frame, day, batch).write_parquet(
            root / table, compression=COMPRESSION, partition_by=PARTITION_COLUMN
        )
        written.write_seconds_by_table[table] = time.perf_counter() - table_started
    return written


def counting(shop: DayRange) -> Callable[[dt.date], dict[str, int]]:
    """`count_day` bound to a shop, in a form a process pool can pickle."""
    return partial(count_day, shop)


def writing(shop: DayRange, batch: BatchInfo, lake_root: Path) -> Callable[[dt.date], DayWritten]:
    """`write_day` bound to a shop, a batch and a lake, in a form a process pool can pickle."""
    return partial(write_day, shop, batch, lake_root)


def writing_parquet(shop: DayRange, batch: BatchInfo, root: Path) -> Callable[[dt.date], DayWritten]:
    """`parquet_day` bound to a shop, a batch and a folder, in a form a process pool can pickle."""
    return partial(parquet_day, shop, batch, root)


def _warm_up(_: int) -> None:
    time.sleep(0.05)  # long enough that every worker, not just the first idle one, gets a task
