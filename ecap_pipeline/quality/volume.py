"""Row-volume anomalies: a day whose row count is far from the table's recent days.

A shop is busier at weekends, so a day is compared with the same weekday of the previous four
weeks when at least three of them exist, and with the previous fourteen days otherwise. The
distance is a robust z-score (median and median absolute deviation, Iglewicz and Hoaglin), so one
odd day in the history does not hide the next one. A day is flagged only when it is both unusual
(|z| > 3.5) and material (at least 50% away from the median: a lost half day or a doubled load,
not a busy Saturday), and only when the history holds at least MIN_ROWS rows a day: a handful of
returns a day is noise, not a trend.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Z_LIMIT = 3.5
CHANGE_LIMIT = 0.5
MIN_ROWS = 10
_WEEKS = 4
_MIN_SAME_WEEKDAYS = 3
_TRAILING_DAYS = 14
_MIN_TRAILING_DAYS = 7
_MAD_SCALE = 0.6745
_MEAN_AD_SCALE = 0.7979


@dataclass(frozen=True)
class VolumeOutcome:
    """How one day's row count compares with its history."""

    day: dt.date
    rows: int
    basis: str
    """`same weekday`, `trailing days`, or why the day was not judged."""
    history_days: int
    median: float | None
    robust_z: float | None
    anomalous: bool

    @property
    def change(self) -> float | None:
        """Relative change against the median (0.5 = 50% more rows)."""
        if self.median is None or self.median == 0:
            return None
        return self.rows / self.median - 1


def volume_outcomes(counts: Mapping[dt.date, int], days: Sequence[dt.date]) -> list[VolumeOutcome]:
    """Judge each of `days` against `counts` (rows per partition date of the whole table).

    A date missing from `counts` but after the table's first partition had no rows (count 0);
    dates before the first partition are not history.
    """
    first = min(counts, default=None)
    return [_judge(day, counts, first) for day in sorted(set(days))]


def _judge(day: dt.date, counts: Mapping[dt.date, int], first: dt.date | None) -> VolumeOutcome:
    rows = counts.get(day, 0)

    def history(dates: list[dt.date]) -> list[int]:
        return [counts.get(date, 0) for date in dates if first is not None and date >= first]

    same_weekday = history([day - dt.timedelta(weeks=week) for week in range(1, _WEEKS + 1)])
    trailing = history([day - dt.timedelta(days=offset) for offset in range(1, _TRAILING_DAYS + 1)])
    if len(same_weekday) >= _MIN_SAME_WEEKDAYS:
        basis, reference = "same weekday", same_weekday
    elif len(trailing) >= _MIN_TRAILING_DAYS:
        basis, reference = "trailing days", trailing
    else:
        return VolumeOutcome(day, rows, "not enough history", len(trailing), None, None, anomalous=False)
    median = statistics.median(reference)
    z = robust_z(rows, reference)
    if median < MIN_ROWS:
        basis = f"too few rows to judge (median < {MIN_ROWS})"
        return VolumeOutcome(day, rows, basis, len(reference), median, z, anomalous=False)
    material = abs(rows - median) > CHANGE_LIMIT * median
    return VolumeOutcome(day, rows, basis, len(reference), median, z, anomalous=material and abs(z) > Z_LIMIT)


def robust_z(value: float, reference: Sequence[float]) -> float:
    """The modified z-score of `value` against `reference`; infinite when the history never varies but `value` does."""
    median = statistics.median(reference)
    deviations = [abs(item - median) for item in reference]
    mad = statistics.median(deviations)
    if mad > 0:
        return _MAD_SCALE * (value - median) / mad
    mean_deviation = statistics.fmean(deviations)
    if mean_deviation > 0:
        return _MEAN_AD_SCALE * (value - median) / mean_deviation
    return 0.0 if value == median else float("inf") if value > median else float("-inf")
