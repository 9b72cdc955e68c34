"""Repeated timings of one call: median, min and max wall seconds, and the last result."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(call: Callable[[], T], repeats: int) -> tuple[dict[str, float], T]:
    """Run `call` `repeats` times; the spread of its wall times and what the last run returned."""
    seconds: list[float] = []
    result: T | None = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    assert result is not None  # repeats >= 1, checked by the command line
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds)}, result
