"""A writer killed with SIGKILL at a random moment leaves every table at a committed version.

Each trial starts the bronze write path (`write_days`, as the bronze asset calls it) in a
subprocess, kills it at a random moment of its write (uniform over the write, or shortly after
its first commit), then checks every lake table: it opens, it
reads exactly as one of its committed versions (the one before the write or the one with it),
files the killed writer left are invisible, and a rerun gives what an uninterrupted run gives.
Two scenarios alternate: the first write into an empty lake, and a rerun that replaces two days
and adds a third. The lineage columns `_ingested_at` and `_batch_id` differ between runs by design
and are left out of the comparison.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable

from ecap_pipeline.generate.day import GENERATED_TABLES
from ecap_pipeline.lake.bronze import read_table, table_path
from ecap_pipeline.settings import PROJECT_ROOT
from tests.unit.lake.crash_writer import write

DEFAULT_TRIALS = 3
SLOW_TRIALS = 24
OPENING = dt.date(2025, 9, 1)
FIRST_DAYS = [OPENING + dt.timedelta(days=offset) for offset in range(3)]
RERUN_DAYS = [OPENING + dt.timedelta(days=offset) for offset in (1, 2, 3)]

Content = dict[str, pl.DataFrame]


@dataclass(frozen=True)
class Scenario:
    """A write to interrupt: the lake it starts from, the days it writes, the content before and after."""

    name: str
    start: Path | None
    days: list[dt.date]
    before: Content
    after: Content


@dataclass(frozen=True)
class Reference:
    scenarios: tuple[Scenario, Scenario]
    write_seconds: float
    """How long an uninterrupted subprocess write takes once it is ready: the window kills fall in."""


def _content(lake: Path) -> Content:
    return {
        table: read_table(lake, table).drop("_ingested_at", "_batch_id").sort(pl.all()) for table in GENERATED_TABLES
    }


def _start_writer(lake: Path, days: list[dt.date]) -> subprocess.Popen[str]:
    """The writer subprocess, once it is ready to write; use it as a context manager to close its pipe."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.unit.lake.crash_writer", str(lake), "killed-batch", *map(str, days)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    return writer


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    root = tmp_path_factory.mktemp("reference")
    empty = _content(root / "empty")
    write(root / "base", "clean-batch", FIRST_DAYS)
    shutil.copytree(root / "base", root / "rerun")
    write(root / "rerun", "clean-batch", RERUN_DAYS)
    first = Scenario("first write", None, FIRST_DAYS, empty, _content(root / "base"))
    rerun = Scenario("rerun", root / "base", RERUN_DAYS, first.after, _content(root / "rerun"))
    shutil.copytree(root / "base", root / "timed")
    with _start_writer(root / "timed", RERUN_DAYS) as writer:
        started = time.perf_counter()
        assert writer.wait(timeout=120) == 0
    return Reference((first, rerun), time.perf_counter() - started)


def _prepare(scenario: Scenario, lake: Path) -> dict[str, int]:
    """Copy the scenario's starting lake to `lake`; return each table's version there (-1: no table)."""
    if scenario.start is not None:
        shutil.copytree(scenario.start, lake)
    return {table: _version(lake, table) for table in GENERATED_TABLES}


def _version(lake: Path, table: str) -> int:
    path = table_path(lake, table)
    return DeltaTable(path).version() if DeltaTable.is_deltatable(str(path)) else -1


def _orphans(lake: Path, table: str) -> int:
    """Parquet files in the table's folder that its current version does not read."""
    path = table_path(lake, table)
    on_disk = {str(file.relative_to(path)) for file in path.rglob("*.parquet") if "_delta_log" not in file.parts}
    live = (
        set(DeltaTable(path).get_add_actions().column("path").to_pylist())
        if path.joinpath("_delta_log").is_dir()
        else set()
    )
    return len(on_disk - live)


def _kill_and_check(reference: Reference, trial: int, lake: Path) -> tuple[float, int, int]:
    """Run one trial; return when it was killed, how many tables had committed by then, and orphan files.

    Every third trial waits for the first table's commit and kills within the next 0.3 s, so some
    kills land among the commits, a short phase that uniform timing over the write rarely hits.
    """
    scenario = reference.scenarios[trial % 2]
    versions = _prepare(scenario, lake)
    moment = random.Random(trial)
    first_commit = (
        table_path(lake, GENERATED_TABLES[0]) / "_delta_log" / f"{versions[GENERATED_TABLES[0]] + 1:020d}.json"
    )
    with _start_writer(lake, scenario.days) as writer:
        started = time.perf_counter()
        if trial % 3 == 2:
            while not first_commit.exists() and writer.poll() is None:
                time.sleep(0.001)
            time.sleep(moment.uniform(0.0, 0.3))
        else:
            time.sleep(moment.uniform(0.0, 1.2 * reference.write_seconds))
        delay = time.perf_counter() - started
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=60)

    after_kill = _content(lake)
    committed = 0
    for table in GENERATED_TABLES:
        version = _version(lake, table)
        assert version in {versions[table], versions[table] + 1}, f"{scenario.name}, {table}: version {version}"
        expected = scenario.after if version > versions[table] else scenario.before
        committed += version > versions[table]
        assert after_kill[table].equals(expected[table]), f"{scenario.name} killed after {delay:.2f} s: {table}"
    orphans = sum(_orphans(lake, table) for table in GENERATED_TABLES)

    write(lake, "rerun-batch", scenario.days)
    rerun = _content(lake)
    for table in GENERATED_TABLES:
        assert rerun[table].equals(scenario.after[table]), f"{scenario.name}, rerun after a kill: {table}"
    return delay, committed, orphans


@pytest.mark.parametrize("trial", range(DEFAULT_TRIALS))
def test_a_writer_killed_at_a_random_moment_leaves_committed_versions_and_a_rerun_converges(
    reference: Reference, tmp_path: Path, trial: int
) -> None:
    _kill_and_check(reference, trial, tmp_path / "lake")


@pytest.mark.slow
def test_many_kills_at_random_moments_never_leave_a_partial_table(
    reference: Reference, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    outcomes = [
        _kill_and_check(reference, trial, tmp_path / f"lake-{trial}")
        for trial in range(DEFAULT_TRIALS, DEFAULT_TRIALS + SLOW_TRIALS)
    ]

    record_property("write_seconds", round(reference.write_seconds, 3))
    record_property("kill_seconds", [round(delay, 3) for delay, _, _ in outcomes])
    record_property("tables_committed_per_kill", [committed for _, committed, _ in outcomes])
    record_property("orphan_files_per_kill", [orphans for _, _, orphans in outcomes])
    assert len(outcomes) >= 20
