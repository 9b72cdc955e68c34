"""Churn metrics: exact figures on hand-made scores, one-class refusal, the true-dropout definition."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ecap_pipeline.ml.churn_history import ChurnDataError
from ecap_pipeline.ml.churn_metrics import classification_metrics, true_dropout


def test_metrics_of_hand_made_scores_are_exact() -> None:
    metrics = classification_metrics([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.3], period="test")
    assert metrics["roc_auc"] == 1.0
    assert metrics["pr_auc"] == 1.0
    assert metrics["brier"] == pytest.approx((0.01 + 0.01 + 0.04 + 0.09) / 4)
    # the top decile of 4 customers is the single highest score, a churner: 1.0 / 0.5
    assert metrics["top_decile_lift"] == pytest.approx(2.0)


def test_a_reversed_ranking_has_roc_auc_zero_and_no_lift() -> None:
    metrics = classification_metrics([0, 0, 1, 1, 1], [0.9, 0.8, 0.3, 0.2, 0.1], period="test")
    assert metrics["roc_auc"] == 0.0
    assert metrics["top_decile_lift"] == 0.0


@pytest.mark.parametrize(("labels", "missing"), [([0, 0, 0], "no churners"), ([1, 1], "no customer who came back")])
def test_labels_of_one_class_are_refused_naming_what_is_missing(labels: list[int], missing: str) -> None:
    with pytest.raises(ChurnDataError, match=f"{missing} in the evaluation window: all {len(labels)} customers"):
        classification_metrics(labels, [0.5] * len(labels), period="evaluation window")


def test_no_customers_at_all_is_refused() -> None:
    with pytest.raises(ChurnDataError, match="no customers to learn from or judge in the training window"):
        classification_metrics([], [], period="training window")


def test_a_customer_is_truly_gone_when_the_lifetime_ends_before_the_label_window_does() -> None:
    def midnight(day: int) -> dt.datetime:
        return dt.datetime(2025, 1, day, tzinfo=dt.UTC)

    lifetimes = pl.DataFrame(
        {"customer_id": ["early", "last_day", "after"], "dropout_at": [midnight(3), midnight(20), midnight(21)]}
    )
    # cutoff Jan 11, 10 days: the window is Jan 11..20 and ends at midnight starting Jan 21
    truth = true_dropout(lifetimes, pl.Series(["early", "last_day", "after", "unknown"]), dt.date(2025, 1, 11), 10)
    assert dict(truth.iter_rows()) == {"early": 1, "last_day": 1, "after": 0}
