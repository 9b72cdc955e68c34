"""The naive baseline's measurement, apart so that only its child process imports Faker."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from baselines.naive_generator import generate_naive_day
from genbench.days import EVENTS_TABLE


def measure_naive(day: dt.date, events: int, seed: int) -> dict[str, Any]:
    """The tutorial-style baseline for one day capped at `events` clickstream events."""
    started = time.perf_counter()
    tables = generate_naive_day(day, events=events, seed=seed)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "events": tables[EVENTS_TABLE].height,
        "rows_by_table": {table: frame.height for table, frame in tables.items()},
        "event_columns": tables[EVENTS_TABLE].columns,
    }
