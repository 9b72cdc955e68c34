"""The ladder of rungs: how many days of which scale make about N clickstream events.

Events per day depend on the scale, on how long the shop has been open (growth, the opening-day
migration of initial customers) and on the generator version, which keeps changing. So the day
count of a rung is not hard-coded: it is found by generating days from the start date and
counting events until the running total reaches the target, then taking the day count whose
total is nearest to it. Same seed, scale and start date give the same plan.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from concurrent.futures import Executor
from dataclasses import dataclass

from genbench.days import EVENTS_TABLE, DayRange, counting, day_pool, map_days

MAX_DAYS = 3 * 366
POOL_WORTH_EVENTS = 1_000_000
"""Below this many events to count, starting a pool (seconds per process) costs more than it saves."""
_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$")
_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000}


@dataclass(frozen=True)
class Rung:
    """One step of the ladder: a target event count and the scale chosen to reach it."""

    target_events: int
    scale: str
    """Name of the scale preset."""
    days: int | None = None
    """Fixed by the user, or None to calibrate against `target_events`."""


@dataclass(frozen=True)
class Plan:
    """A calibrated rung: the days to generate and the events they hold."""

    rung: Rung
    days: DayRange
    planned_events: int | None
    """Events counted during calibration (None when the day count was given)."""


def parse_count(text: str) -> int:
    """'100k' -> 100_000, '1M' -> 1_000_000, '2500' -> 2500: event targets as people say them."""
    match = _COUNT.match(text)
    if match is None:
        msg = f"not an event count: {text!r} (use e.g. 100000, 100k, 1M)"
        raise ValueError(msg)
    return int(float(match.group(1)) * _MULTIPLIERS[match.group(2).lower()])


def plan_ladder(rungs: list[Rung], *, seed: int, start: dt.date, workers: int) -> list[Plan]:
    """The day range of every rung, calibrated on one shared pool of `workers` processes."""
    to_count = sum(rung.target_events for rung in rungs if rung.days is None)
    with day_pool(workers if to_count >= POOL_WORTH_EVENTS else 1) as pool:
        return [plan_rung(rung, seed=seed, start=start, pool=pool, workers=workers) for rung in rungs]


def plan_rung(rung: Rung, *, seed: int, start: dt.date, pool: Executor | None, workers: int) -> Plan:
    """The day range of `rung`: as given, or the one whose event total is nearest the target."""
    if rung.days is not None:
        return Plan(rung, DayRange(rung.scale, seed, start, rung.days), None)
    probe = DayRange(rung.scale, seed, start, MAX_DAYS)
    totals = _running_totals(probe, rung.target_events, pool, workers)
    days = min(range(1, len(totals) + 1), key=lambda count: abs(totals[count - 1] - rung.target_events))
    return Plan(rung, DayRange(rung.scale, seed, probe.start, days), totals[days - 1])


def _running_totals(probe: DayRange, target: int, pool: Executor | None, workers: int) -> list[int]:
    """Cumulative events per day from the start, up to the first day reaching `target`.

    Days are counted in blocks sized from the rate seen so far, so a 10M-event rung costs about
    one extra generation pass, not one pass per guess.
    """
    dates, totals = probe.dates(), [0]
    count = counting(probe)
    while totals[-1] < target:
        done = len(totals) - 1
        if done >= len(dates):
            msg = f"{probe.scale}: {totals[-1]} events in {done} days never reach {target}"
            raise ValueError(msg)
        rate = totals[-1] / done if done else 0
        block = max(workers, math.ceil((target - totals[-1]) / rate) if rate else workers)
        block = min(block, 64, len(dates) - done)
        for counts in map_days(pool, count, dates[done : done + block]):
            totals.append(totals[-1] + counts.rows_by_table.get(EVENTS_TABLE, 0))
    return totals[1:]
