"""The churn label and the time split: train on an early cutoff, judge on a later one, score at the end.

A customer has churned at cutoff `c` with horizon `H` when they place no order on days
c … c+H-1, the H days from the cutoff on. With the data covering days `first` … `last`:

- the scoring cutoff is `last + 1` (features from everything observed);
- the evaluation cutoff is `c2 = last + 1 - H`, so its label window c2 … last is fully observed;
- the training cutoff is `c1 = c2 - H`, so the training labels end the day before c2.

Nothing the training sees (features before c1, labels on c1 … c2-1) is dated on or after c2, and
the evaluation labels are all dated on or after c2: the judged period is one the model never saw.
The training features need a history of at least H days before c1, so the data must span 3 x H days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ecap_pipeline.ml.churn_history import ChurnDataError, ChurnHistory
from ecap_pipeline.ml.registry import TrainingWindow

HISTORY_WINDOWS = 3
"""Feature history, training labels, evaluation labels: each one horizon long."""


@dataclass(frozen=True)
class ChurnSplit:
    """The three cutoffs of one training run, and the horizon their labels look ahead."""

    first_day: dt.date
    train_cutoff: dt.date
    evaluation_cutoff: dt.date
    scoring_cutoff: dt.date
    horizon_days: int

    @property
    def window(self) -> TrainingWindow:
        """For the registry: trained on first_day … c2-1, judged on c2 … the last observed day."""
        day = dt.timedelta(days=1)
        return TrainingWindow(
            train_start=self.first_day,
            train_end=self.evaluation_cutoff - day,
            evaluation_start=self.evaluation_cutoff,
            evaluation_end=self.scoring_cutoff - day,
        )


def churn_split(first_day: dt.date, last_day: dt.date, horizon_days: int) -> ChurnSplit:
    """The cutoffs for data on `first_day` … `last_day`; too short a range raises, saying what is needed."""
    if horizon_days < 1:
        msg = f"the churn horizon must be at least 1 day, got {horizon_days}"
        raise ValueError(msg)
    span = (last_day - first_day).days + 1
    needed = HISTORY_WINDOWS * horizon_days
    if span < needed:
        msg = (
            f"churn needs at least {needed} days of data ({HISTORY_WINDOWS} x the {horizon_days}-day horizon: a "
            f"feature history, a training label window and an evaluation label window) but the data covers {span} "
            f"day(s), {first_day} … {last_day}: build a longer range (ECAP_START_DATE/ECAP_END_DATE) or shorten "
            f"the horizon (ECAP_CHURN_HORIZON_DAYS)"
        )
        raise ChurnDataError(msg)
    scoring = last_day + dt.timedelta(days=1)
    evaluation = scoring - dt.timedelta(days=horizon_days)
    return ChurnSplit(
        first_day=first_day,
        train_cutoff=evaluation - dt.timedelta(days=horizon_days),
        evaluation_cutoff=evaluation,
        scoring_cutoff=scoring,
        horizon_days=horizon_days,
    )


def churn_labels(history: ChurnHistory, customer_ids: pl.Series, cutoff: dt.date, horizon_days: int) -> pl.Series:
    """1 for each customer of `customer_ids` with no order on cutoff … cutoff+H-1, else 0 (same order).

    Raises when the data does not reach the end of that window: a label there would call customers
    churned only because their later orders are not loaded yet.
    """
    window_end = cutoff + dt.timedelta(days=horizon_days - 1)
    if window_end > history.observed_until:
        msg = (
            f"the churn label window {cutoff} … {window_end} reaches past the last observed day "
            f"{history.observed_until}: its labels would be unknown, not churn"
        )
        raise ChurnDataError(msg)
    returned = history.orders.filter(pl.col("order_date").is_between(cutoff, window_end))["customer_id"].unique()
    return (~customer_ids.is_in(returned.implode())).cast(pl.Int8).alias("churned")
