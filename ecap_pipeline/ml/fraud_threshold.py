"""Choosing the operating threshold: the most fraud caught while alerts stay precise enough to review.

A fraud team staffs for a precision it can live with (most alerts it opens are fraud) and wants
every fraud it can get at that precision. So the threshold is the one with the best recall at
a target precision, judged as the alerts will be judged: with bursts reviewed as incidents, on
scores each training order got from a classifier that did not learn from its day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.ml.fraud_config import FraudRulesConfig
from ecap_pipeline.ml.fraud_incidents import with_incidents
from ecap_pipeline.ml.fraud_rules import rule_columns

MAX_CANDIDATES = 200
"""Thresholds tried at most; beyond that, evenly spaced ones among the candidates (recall moves in steps)."""

_SCORE = "_validation_score"


@dataclass(frozen=True)
class ThresholdChoice:
    """The chosen threshold and its out-of-fold precision and recall (with incidents)."""

    threshold: float
    precision: float
    recall: float
    meets_target: bool
    """False when no threshold reached the target precision; the best-F1 one was chosen instead."""


def alert_precision_recall(truth: npt.NDArray[np.bool_], alerted: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """Precision and recall of `alerted` orders against `truth` (precision 0 without any alert)."""
    hits = float(np.sum(truth & alerted))
    precision = hits / float(alerted.sum()) if alerted.any() else 0.0
    recall = hits / float(truth.sum()) if truth.any() else 0.0
    return precision, recall


def _candidates(frame: pl.DataFrame, truth: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Scores where recall can change: those of fraudulent orders and of orders a rule fired on."""
    scores = frame[_SCORE].to_numpy()
    fired = frame["rule_score"].to_numpy() > 0
    unique = np.unique(scores[(truth | fired) & (scores > 0)])
    if len(unique) <= MAX_CANDIDATES:
        return unique
    return unique[np.linspace(0, len(unique) - 1, MAX_CANDIDATES).round().astype(int)]


def choose_threshold(
    frame: pl.DataFrame,
    scores: npt.NDArray[np.float64],
    truth: npt.NDArray[np.bool_],
    rules: FraudRulesConfig,
    *,
    target_precision: float,
) -> ThresholdChoice:
    """The threshold on `scores` with the best recall at precision >= `target_precision`, incidents included.

    `frame` holds the orders `scores` belong to (row for row) with their rule verdicts; `truth`
    says which are fraudulent. Ties in recall go to the higher threshold (fewer alerts). When no
    threshold reaches the target, the one with the best F1 is chosen and `meets_target` is False.
    """
    if not 0.0 < target_precision <= 1.0:
        msg = f"target precision {target_precision} is invalid: it must be in (0, 1]"
        raise ValueError(msg)
    needed = ["order_id", "ordered_at", "amount", "customer_id", "device_id", "card_id", "rule_score"]
    judged = frame.select(*needed, *rule_columns(rules)).with_columns(pl.Series(_SCORE, scores, dtype=pl.Float64))
    measured = []
    for threshold in _candidates(judged, truth):
        alerted = with_incidents(judged, rules, float(threshold), risk=_SCORE)["alerted"].to_numpy()
        measured.append((float(threshold), *alert_precision_recall(truth, alerted)))
    if not measured:
        msg = "fraud training: no fraudulent order got a positive out-of-fold score, so no threshold catches any"
        raise ValueError(msg)
    meeting = [row for row in measured if row[1] >= target_precision]
    if meeting:
        threshold, precision, recall = max(meeting, key=lambda row: (row[2], row[0]))
        return ThresholdChoice(threshold, precision, recall, meets_target=True)
    threshold, precision, recall = max(measured, key=lambda row: (_f1(row[1], row[2]), row[0]))
    return ThresholdChoice(threshold, precision, recall, meets_target=False)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
