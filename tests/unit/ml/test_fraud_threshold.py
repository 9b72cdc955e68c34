"""The operating threshold: best recall at the target precision, judged with bursts as incidents."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.ml.fraud_config import load_rules
from ecap_pipeline.ml.fraud_rules import evaluate_rules
from ecap_pipeline.ml.fraud_threshold import choose_threshold
from tests.unit.ml.fraud_frames import DAY, frame, order

RULES = load_rules()
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def _orders(scores: dict[str, float]) -> tuple[pl.DataFrame, np.ndarray]:
    """One calm order per customer, hours apart, so no rule fires; their scores in frame order."""
    rows = [order(name, f"c-{name}", DAY + index * HOUR, 50.0) for index, name in enumerate(scores)]
    judged = evaluate_rules(frame(rows), RULES)
    return judged, judged["order_id"].replace_strict(scores, return_dtype=pl.Float64).to_numpy()


# frauds f1..f4, legitimate l1..l4; best F1 is at 0.6 (precision 0.75, recall 0.75)
SCORES = {"f1": 0.9, "f2": 0.8, "l1": 0.7, "f3": 0.6, "l2": 0.5, "f4": 0.3, "l3": 0.2, "l4": 0.1}


def _truth(judged: pl.DataFrame) -> np.ndarray:
    return judged["order_id"].str.starts_with("f").to_numpy()


def test_the_threshold_is_the_best_recall_at_the_target_precision_not_the_best_f1() -> None:
    judged, scores = _orders(SCORES)
    choice = choose_threshold(judged, scores, _truth(judged), RULES, target_precision=0.85)
    assert (choice.threshold, choice.precision, choice.recall, choice.meets_target) == (0.8, 1.0, 0.5, True)


def test_a_lower_target_buys_more_recall() -> None:
    judged, scores = _orders(SCORES)
    choice = choose_threshold(judged, scores, _truth(judged), RULES, target_precision=0.7)
    assert (choice.threshold, choice.precision, choice.recall) == (0.6, 0.75, 0.75)


def test_an_unreachable_target_falls_back_to_the_best_f1_and_says_so() -> None:
    judged, scores = _orders({"l1": 0.9, "f1": 0.8, "l2": 0.7, "f2": 0.6})
    choice = choose_threshold(judged, scores, _truth(judged), RULES, target_precision=0.85)
    assert not choice.meets_target
    assert choice.threshold == 0.6  # precision 0.5, recall 1.0: F1 0.67 beats 0.5 at 0.8


def test_burst_orders_linked_to_a_flagged_order_count_without_lowering_the_threshold() -> None:
    """f-a and f-b score low, but customer_velocity fires on f-t: at f-t's score the whole burst is caught."""
    rows = [
        order("f-a", "c1", DAY, 40.0),
        order("f-b", "c1", DAY + 20 * MINUTE, 60.0),
        order("f-t", "c1", DAY + 40 * MINUTE, 50.0),
        order("l1", "c2", DAY + 3 * HOUR, 50.0),
    ]
    judged = evaluate_rules(frame(rows), RULES)
    scores = judged["order_id"].replace_strict({"f-a": 0.2, "f-b": 0.2, "f-t": 0.9, "l1": 0.5}).to_numpy()
    choice = choose_threshold(judged, scores, _truth(judged), RULES, target_precision=0.85)
    assert (choice.threshold, choice.precision, choice.recall) == (0.9, 1.0, 1.0)


def test_a_target_outside_zero_to_one_is_refused() -> None:
    judged, scores = _orders(SCORES)
    with pytest.raises(ValueError, match=r"target precision 1.5 is invalid"):
        choose_threshold(judged, scores, _truth(judged), RULES, target_precision=1.5)


def test_no_fraud_with_a_positive_score_is_refused() -> None:
    judged, scores = _orders({"f1": 0.0, "l1": 0.4})
    with pytest.raises(ValueError, match=r"no fraudulent order got a positive out-of-fold score"):
        choose_threshold(judged, scores, _truth(judged), RULES, target_precision=0.85)
