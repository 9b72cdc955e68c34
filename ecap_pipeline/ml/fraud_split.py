"""Time-based splits of orders: the model learns from earlier days and is judged on later ones.

Fraud evolves, so a random split would flatter the model with orders from the same days (and the
same bursts) it learned from. Splitting by calendar day keeps every incident of a day on one side.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import polars as pl

from ecap_pipeline.ml.registry import TrainingWindow

MIN_PERIOD_DAYS = 7
"""Neither side of a split may be shorter than a week: a few days hold too few fraud incidents."""


@dataclass(frozen=True)
class TimeSplit:
    """Orders before and from `window.evaluation_start`."""

    train: pl.DataFrame
    holdout: pl.DataFrame
    window: TrainingWindow


def _holdout_days(days: int, share: float) -> int:
    return math.ceil(days * share)


def days_needed(holdout_share: float) -> int:
    """The fewest calendar days that leave MIN_PERIOD_DAYS on each side of the split."""
    days = 2 * MIN_PERIOD_DAYS
    while min(_holdout_days(days, holdout_share), days - _holdout_days(days, holdout_share)) < MIN_PERIOD_DAYS:
        days += 1
    return days


def split_by_time(frame: pl.DataFrame, holdout_share: float) -> TimeSplit:
    """Hold out the last `holdout_share` of the calendar days spanned by `frame.ordered_at`.

    Raises a ValueError saying how many days are needed and which settings widen the range when
    either side would be shorter than MIN_PERIOD_DAYS.
    """
    if not 0.0 < holdout_share < 1.0:
        msg = f"holdout share {holdout_share} is invalid: it must be strictly between 0 and 1"
        raise ValueError(msg)
    dates = frame.select(pl.col("ordered_at").dt.date().min().alias("first"), pl.col("ordered_at").dt.date().max())
    first, last = dates.row(0)
    days = 0 if first is None else (last - first).days + 1
    held = _holdout_days(days, holdout_share)
    if min(held, days - held) < MIN_PERIOD_DAYS:
        needed = days_needed(holdout_share)
        span = "no orders" if first is None else f"orders spanning {days} day(s), {first} .. {last}"
        msg = (
            f"fraud training: too few days to hold out a later period: found {span}; it needs at least "
            f"{needed} days, to train on {MIN_PERIOD_DAYS}+ days and judge on {MIN_PERIOD_DAYS}+ later ones. "
            "Widen the date range with ECAP_START_DATE / ECAP_END_DATE"
        )
        raise ValueError(msg)
    evaluation_start = last - dt.timedelta(days=held - 1)
    is_holdout = pl.col("ordered_at").dt.date() >= evaluation_start
    return TimeSplit(
        train=frame.filter(~is_holdout),
        holdout=frame.filter(is_holdout),
        window=TrainingWindow(
            train_start=first,
            train_end=evaluation_start - dt.timedelta(days=1),
            evaluation_start=evaluation_start,
            evaluation_end=last,
        ),
    )
