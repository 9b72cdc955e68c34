"""How stale a mart may get in a daily pipeline before people are told, and the verdict on one mart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

WARN_AFTER = dt.timedelta(hours=26)
"""The daily refresh runs at 02:00 UTC and takes minutes: past a day and two hours, today's run is late."""

FAIL_AFTER = dt.timedelta(hours=36)
"""Past a day and a half, the morning's refresh did not land: the marts show the day before yesterday."""


class Freshness(Enum):
    """What a reader of the mart should assume about its data."""

    FRESH = "fresh"
    LATE = "late"
    STALE = "stale"
    NEVER_BUILT = "never built"


@dataclass(frozen=True)
class FreshnessVerdict:
    """One mart's freshness at `now`, with the sentence people read in the UI."""

    freshness: Freshness
    age: dt.timedelta | None
    description: str

    @property
    def passed(self) -> bool:
        return self.freshness is Freshness.FRESH


def judge_freshness(
    name: str,
    last_updated: dt.datetime | None,
    now: dt.datetime,
    *,
    warn_after: dt.timedelta = WARN_AFTER,
    fail_after: dt.timedelta = FAIL_AFTER,
) -> FreshnessVerdict:
    """`name` is fresh while its last update is at most `warn_after` old, late until `fail_after`, then stale."""
    if warn_after >= fail_after:
        msg = f"warn_after ({warn_after}) must be shorter than fail_after ({fail_after})"
        raise ValueError(msg)
    if last_updated is None:
        return FreshnessVerdict(Freshness.NEVER_BUILT, None, f"{name} has never been built")
    age = now - last_updated
    hours = age.total_seconds() / 3600
    if age <= warn_after:
        freshness, limit = Freshness.FRESH, f"within {_hours(warn_after)}"
    elif age <= fail_after:
        freshness, limit = Freshness.LATE, f"over {_hours(warn_after)}: the daily refresh is late"
    else:
        freshness, limit = Freshness.STALE, f"over {_hours(fail_after)}: the daily refresh did not run or failed"
    return FreshnessVerdict(freshness, age, f"{name} last updated {hours:.1f} h ago ({limit})")


def _hours(delta: dt.timedelta) -> str:
    return f"{delta.total_seconds() / 3600:g} h"
