"""Writers of different days of one table, in threads or processes, all land: the per-table lock."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from ecap_pipeline.lake.bronze import WriteResult, read_table, replace_partitions
from ecap_pipeline.lake.contracts import PARTITION_COLUMN

BronzeFrame = Callable[..., pl.DataFrame]


def _replace_days_concurrently(
    lake: Path, table: str, frames: list[pl.DataFrame], run: Callable[..., list[WriteResult]]
) -> list[WriteResult]:
    jobs = [(lake, table, frame, frame[PARTITION_COLUMN].unique().to_list()) for frame in frames]
    return run(jobs)


def _assert_every_day_landed(lake: Path, table: str, key: str, frames: list[pl.DataFrame]) -> None:
    back = read_table(lake, table)
    assert back.group_by(PARTITION_COLUMN).len().sort(PARTITION_COLUMN).rows() == [
        (frame[PARTITION_COLUMN][0], frame.height) for frame in frames
    ]
    assert_frame_equal(back.sort(key), pl.concat(frames).sort(key))


def test_four_threads_writing_different_days_all_land(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    frames = [bronze_frame("events", offset) for offset in (1, 2, 3, 4)]

    def in_threads(jobs: list[tuple]) -> list[WriteResult]:
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            return list(pool.map(lambda job: replace_partitions(*job), jobs))

    results = _replace_days_concurrently(tmp_path, "events", frames, in_threads)

    assert sorted(result.version for result in results) == [0, 1, 2, 3], "each write is its own commit"
    _assert_every_day_landed(tmp_path, "events", "event_id", frames)


def test_two_spawned_processes_writing_different_days_all_land(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    frames = [bronze_frame("sessions", offset) for offset in (1, 2)]

    def in_processes(jobs: list[tuple]) -> list[WriteResult]:
        with multiprocessing.get_context("spawn").Pool(processes=len(jobs)) as pool:
            return pool.starmap(replace_partitions, jobs)

    results = _replace_days_concurrently(tmp_path, "sessions", frames, in_processes)

    assert sorted(result.version for result in results) == [0, 1]
    assert [result.rows_written for result in results] == [frame.height for frame in frames]
    _assert_every_day_landed(tmp_path, "sessions", "session_id", frames)
