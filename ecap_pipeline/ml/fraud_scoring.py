"""Scoring orders with a trained fraud model, and the prioritised alerts analysts review.

Scoring is vectorised end to end (polars window expressions for the features and rules, one
matrix call per estimator), so its cost grows with the number of orders, not with Python loops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from ecap_pipeline.ml.fraud_incidents import with_incidents
from ecap_pipeline.ml.fraud_inputs import matrix, model_inputs
from ecap_pipeline.ml.fraud_model import with_anomaly_score

if TYPE_CHECKING:
    from ecap_pipeline.ml.fraud_config import PriorityCutoffs
    from ecap_pipeline.ml.fraud_model import TrainedFraudModel

PRIORITIES: tuple[str, ...] = ("critical", "high", "medium", "low")

ALERT_SCHEMA: dict[str, pl.DataType] = {
    "order_id": pl.String(),
    "customer_id": pl.String(),
    "ordered_at": pl.Datetime("us", "UTC"),
    "order_date": pl.Date(),
    "amount": pl.Float64(),
    "risk_score": pl.Float64(),
    "priority": pl.String(),
    "rules_fired": pl.String(),
    "reasons": pl.String(),
    "anomaly_score": pl.Float64(),
    "linked_to": pl.String(),
    "model_version": pl.String(),
}
"""Columns of the warehouse table `fraud_alerts`; `linked_to` is the flagged order of the burst an order
below the threshold was reviewed with (null for orders alerted on their own risk)."""

_NO_RULE_REASON = "no rule fired: the classifier finds the order's features unusual for legitimate orders"


def score_inputs(model: TrainedFraudModel, inputs: pl.DataFrame) -> pl.DataFrame:
    """`inputs` (from `model_inputs`) with `anomaly_score` and `risk_score`, the combined fraud probability."""
    scored = with_anomaly_score(inputs, model.anomaly)
    if scored.is_empty():
        return scored.with_columns(pl.lit(None, dtype=pl.Float64).alias("risk_score"))
    risk = model.classifier.predict_proba(matrix(scored, model.features))[:, 1]
    return scored.with_columns(pl.Series("risk_score", risk, dtype=pl.Float64))


def score_orders(model: TrainedFraudModel, transactions: pl.DataFrame) -> pl.DataFrame:
    """Every order of conformed `transactions`, sorted by time, with its rule verdicts and scores.

    History matters (velocity, a customer's usual spend): pass all orders the shop knows, not only
    the ones to score. An empty frame gives an empty result with the same columns.
    """
    return score_inputs(model, model_inputs(transactions, model.rules))


def priority(risk_score: pl.Expr, cutoffs: PriorityCutoffs) -> pl.Expr:
    """critical / high / medium / low by the configured cut-offs of the risk score."""
    return (
        pl.when(risk_score >= cutoffs.critical)
        .then(pl.lit("critical"))
        .when(risk_score >= cutoffs.high)
        .then(pl.lit("high"))
        .when(risk_score >= cutoffs.medium)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )


def fraud_alerts(scored: pl.DataFrame, model: TrainedFraudModel, *, model_version: str) -> pl.DataFrame:
    """Alerted orders of `scored` (at or above the threshold, or in a flagged burst), riskiest first, in ALERT_SCHEMA.

    A linked order takes the priority of its burst when that is higher than its own, and its
    reason names the flagged order, so the analyst reviews the burst as one incident.
    """
    linked = pl.col("linked_to").is_not_null()
    own_reasons = pl.when(pl.col("reasons") == "").then(pl.lit(_NO_RULE_REASON)).otherwise(pl.col("reasons"))
    burst_reason = pl.lit("part of the burst flagged at order ") + pl.col("linked_to")
    alerts = (
        with_incidents(scored, model.rules, model.threshold)
        .filter(pl.col("alerted"))
        .with_columns(
            pl.col("ordered_at").dt.date().alias("order_date"),
            priority(pl.col("incident_risk"), model.rules.priorities).alias("priority"),
            pl.when(linked & (pl.col("reasons") == ""))
            .then(burst_reason)
            .when(linked)
            .then(pl.concat_str([burst_reason, pl.col("reasons")], separator="; "))
            .otherwise(own_reasons)
            .alias("reasons"),
            pl.lit(model_version).alias("model_version"),
        )
    )
    return alerts.select(pl.col(name).cast(dtype) for name, dtype in ALERT_SCHEMA.items()).sort(
        "risk_score", "ordered_at", descending=[True, False]
    )
