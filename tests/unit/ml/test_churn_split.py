"""The churn label and time split: exact cutoffs, no overlap, no leakage, a clear error when too short."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.ml.churn_history import ChurnDataError
from ecap_pipeline.ml.churn_model import churn_dataset, train_churn
from ecap_pipeline.ml.churn_split import churn_labels, churn_split
from tests.unit.ml.churn_factory import day, history_from_rows, simulated_shop


def test_the_default_range_and_horizon_give_three_90_day_windows() -> None:
    split = churn_split(dt.date(2025, 3, 1), dt.date(2025, 11, 29), 90)
    assert split.scoring_cutoff == dt.date(2025, 11, 30)
    assert split.evaluation_cutoff == dt.date(2025, 9, 1)
    assert split.train_cutoff == dt.date(2025, 6, 3)
    assert split.window.as_json() == {
        "train_start": "2025-03-01",
        "train_end": "2025-08-31",
        "evaluation_start": "2025-09-01",
        "evaluation_end": "2025-11-29",
    }


@pytest.mark.parametrize("horizon", [1, 7, 30, 90])
def test_the_training_label_window_ends_before_the_evaluation_window_starts(horizon: int) -> None:
    split = churn_split(dt.date(2025, 3, 1), dt.date(2025, 11, 29), horizon)
    last_training_label_day = split.train_cutoff + dt.timedelta(days=horizon - 1)
    assert last_training_label_day < split.evaluation_cutoff
    assert split.evaluation_cutoff + dt.timedelta(days=horizon) == split.scoring_cutoff
    assert (split.train_cutoff - split.first_day).days >= horizon


def test_too_short_a_range_says_how_many_days_are_needed_and_which_settings_to_change() -> None:
    with pytest.raises(ChurnDataError, match=r"at least 270 days of data .* covers 30 day\(s\)") as error:
        churn_split(dt.date(2025, 9, 8), dt.date(2025, 10, 7), 90)
    assert "ECAP_CHURN_HORIZON_DAYS" in str(error.value)
    assert "ECAP_START_DATE" in str(error.value)


def test_a_customer_churns_when_no_order_falls_in_the_horizon_days_from_the_cutoff() -> None:
    history = history_from_rows(
        customers=[(name, 0, "new", "email") for name in "ABCD"],
        orders=[("A", 1, 9.0), ("A", 10, 9.0), ("B", 1, 9.0), ("B", 19, 9.0), ("C", 1, 9.0), ("C", 20, 9.0)],
        observed_until=30,
    )
    # window for cutoff day 10 and 10 days: days 10..19 (A and B order in it, C on day 20 is too late)
    labels = churn_labels(history, pl.Series(["A", "B", "C", "D"]), day(10), 10)
    assert labels.to_list() == [0, 0, 1, 1]


def test_a_label_window_past_the_last_observed_day_is_refused() -> None:
    history = history_from_rows(customers=[("A", 0, "new", "email")], orders=[("A", 1, 9.0)], observed_until=20)
    with pytest.raises(ChurnDataError, match="reaches past the last observed day"):
        churn_labels(history, pl.Series(["A"]), day(15), 7)


def test_deleting_everything_from_the_evaluation_cutoff_on_leaves_the_trained_model_unchanged() -> None:
    history, _ = simulated_shop(customers=300, days=120, seed=5)
    split = churn_split(history.first_day, history.observed_until, 30)
    trained = train_churn(churn_dataset(history, split.train_cutoff, 30), horizon_days=30)
    later = {"orders": "order_date", "sessions": "session_date", "returns": "return_date"}
    scrambled = dataclasses.replace(
        history,
        **{
            name: getattr(history, name).filter(pl.col(column) < split.evaluation_cutoff).sample(fraction=1.0, seed=1)
            for name, column in later.items()
        },
    )
    retrained = train_churn(churn_dataset(scrambled, split.train_cutoff, 30), horizon_days=30)
    probe = churn_dataset(history, split.evaluation_cutoff, 30).features
    np.testing.assert_array_equal(trained.predict(probe), retrained.predict(probe))
