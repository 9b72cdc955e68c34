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

import polars as pl

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


@dataclass(frozen=True)
class Spent:
    """Time spent on one piece of work: wall-clock seconds and CPU seconds of the process (all threads).

    On a shared machine the wall time of a piece of work also counts the time it waited for a core;
    its CPU time does not, so CPU seconds compare two versions of the code far more steadily.
    """

    wall: float
    cpu: float


class _Stopwatch:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def spent(self) -> Spent:
        return Spent(time.perf_counter() - self.wall, time.process_time() - self.cpu)


@dataclass
class DayResult:
    """What one day cost and left behind, sent back from the worker instead of the day's rows."""

    generate: Spent
    write_by_table: dict[str, Spent] = field(default_factory=dict)
    """Per table: adding the lake columns and writing the files (for Delta, with their statistics)."""
    rows_by_table: dict[str, int] = field(default_factory=dict)
    columns_by_table: dict[str, list[str]] = field(default_factory=dict)
    files_by_table: dict[str, list[DataFile]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    """Tables the bronze writer refused, with its reason."""


def count_day(shop: DayRange, day: dt.date) -> DayResult:
    """Rows per table of one generated day; the frames stay in the worker (generation alone)."""
    return _generate(shop, day)[1]


def write_day(shop: DayRange, batch: BatchInfo, lake_root: Path, day: dt.date) -> DayResult:
    """Generate one day and write its bronze data files into the lake, uncommitted; only their metadata returns."""
    tables, result = _generate(shop, day)
    for table, frame in tables.items():
        stopwatch = _Stopwatch()
        try:
            result.files_by_table[table] = write_data_files(
                lake_root, table, with_lake_columns(frame, day, batch), [day]
            )
        except (KeyError, ValueError) as error:
            result.skipped[table] = f"{type(error).__name__}: {error}"[:300]
        result.write_by_table[table] = stopwatch.spent()
    return result


def parquet_day(shop: DayRange, batch: BatchInfo, root: Path, day: dt.date) -> DayResult:
    """Generate one day and write it as plain partitioned Parquet: the same encoder, no Delta log or its statistics."""
    tables, result = _generate(shop, day)
    for table, frame in tables.items():
        stopwatch = _Stopwatch()
        with_lake_columns(frame, day, batch).write_parquet(
            root / table, compression=COMPRESSION, partition_by=PARTITION_COLUMN
        )
        result.write_by_table[table] = stopwatch.spent()
    return result


def _generate(shop: DayRange, day: dt.date) -> tuple[dict[str, pl.DataFrame], DayResult]:
    stopwatch = _Stopwatch()
    tables = generate_day(shop.config(), day)
    result = DayResult(generate=stopwatch.spent())
    result.rows_by_table.update({table: frame.height for table, frame in tables.items()})
    result.columns_by_table.update({table: frame.columns for table, frame in tables.items()})
    return tables, result


def counting(shop: DayRange) -> Callable[[dt.date], DayResult]:
    """`count_day` bound to a shop, in a form a process pool can pickle."""
    return partial(count_day, shop)


def writing(shop: DayRange, batch: BatchInfo, lake_root: Path) -> Callable[[dt.date], DayResult]:
    """`write_day` bound to a shop, a batch and a lake, in a form a process pool can pickle."""
    return partial(write_day, shop, batch, lake_root)


def writing_parquet(shop: DayRange, batch: BatchInfo, root: Path) -> Callable[[dt.date], DayResult]:
    """`parquet_day` bound to a shop, a batch and a folder, in a form a process pool can pickle."""
    return partial(parquet_day, shop, batch, root)


def _warm_up(_: int) -> None:
    time.sleep(0.05)  # long enough that every worker, not just the first idle one, gets a task
