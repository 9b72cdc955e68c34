"""Judging a fraud model on the later period it never saw, against the generator's labels.

Accuracy means nothing at 1% fraud, so the figures are the ones a fraud team runs on: precision
and recall at the operating threshold, PR-AUC over all thresholds, recall per fraud pattern, and
how many alerts a day the analysts would have to review. An order counts as alerted when its own
risk reaches the threshold or when it belongs to a flagged burst's incident (`fraud_incidents`):
that is what analysts review. PR-AUC ranks the orders' own risk scores. The rules alone and the anomaly score
alone are reported next to the combined model, so each layer's contribution is visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sklearn.metrics import average_precision_score

from ecap_pipeline.ml.fraud_incidents import with_incidents
from ecap_pipeline.ml.fraud_model import TrainedFraudModel, label_orders
from ecap_pipeline.ml.fraud_scoring import score_inputs
from ecap_pipeline.ml.fraud_threshold import alert_precision_recall
from ecap_pipeline.ml.registry import QualityGate

MIN_RECALL = 0.9
MIN_PRECISION = 0.8
"""The promotion gate (issue 5): recall >= 0.9 at precision >= 0.8 on the held-out period."""


@dataclass(frozen=True)
class FraudEvaluation:
    """Held-out figures of one model, and the gates they are judged by."""

    metrics: dict[str, float]
    gates: tuple[QualityGate, ...]


def evaluate_fraud_model(model: TrainedFraudModel, inputs: pl.DataFrame, labels: pl.DataFrame) -> FraudEvaluation:
    """Score the model's held-out period of `inputs` (from `model_inputs`) and compare with `labels`.

    Raises a ValueError when the held-out period has no fraudulent order: recall is undefined then.
    """
    window = model.window
    order_date = pl.col("ordered_at").dt.date()
    holdout = label_orders(inputs, labels).filter(order_date.is_between(window.evaluation_start, window.evaluation_end))
    frauds = int(holdout["is_fraud"].sum())
    if frauds == 0:
        msg = (
            f"fraud evaluation: the held-out period ({window.evaluation_start} .. {window.evaluation_end}, "
            f"{holdout.height} orders) has no fraudulent order, so recall cannot be measured. Widen the date "
            "range (ECAP_START_DATE / ECAP_END_DATE) or change the injected fraud rate (ECAP_FRAUD_RATE)"
        )
        raise ValueError(msg)
    scored = with_incidents(score_inputs(model, holdout), model.rules, model.threshold)
    truth = scored["is_fraud"].to_numpy()
    risk = scored["risk_score"].to_numpy()
    flagged = scored["alerted"].to_numpy()
    precision, recall = alert_precision_recall(truth, flagged)
    rules_precision, rules_recall = alert_precision_recall(truth, scored["rule_score"].to_numpy() > 0)
    days = (window.evaluation_end - window.evaluation_start).days + 1
    metrics = {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "pr_auc": float(average_precision_score(truth, risk)),
        "alerts_per_day": float(flagged.sum()) / days,
        "linked_alerts_per_day": float(scored["linked_to"].is_not_null().sum()) / days,
        "threshold": model.threshold,
        "rules_only_precision": rules_precision,
        "rules_only_recall": rules_recall,
        "anomaly_only_pr_auc": float(average_precision_score(truth, scored["anomaly_score"].to_numpy())),
        "validation_precision": model.validation_precision,
        "validation_recall": model.validation_recall,
        "holdout_orders": float(scored.height),
        "holdout_fraud_orders": float(frauds),
    }
    per_pattern = (
        scored.filter(pl.col("is_fraud"))
        .group_by("pattern")
        .agg(pl.col("alerted").mean().alias("recall"))
        .sort("pattern")
    )
    metrics |= {f"recall_{pattern}": float(value) for pattern, value in per_pattern.iter_rows()}
    gates = (
        QualityGate.at_least("recall", recall, MIN_RECALL),
        QualityGate.at_least("precision", precision, MIN_PRECISION),
    )
    # plain floats: numpy scalars do not serialise into JSON or Dagster metadata
    return FraudEvaluation(metrics={name: float(value) for name, value in metrics.items()}, gates=gates)
