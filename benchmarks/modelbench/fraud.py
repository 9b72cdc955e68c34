"""Fraud: features, rules, anomaly score, classifier and threshold training, and scoring into alerts."""

from __future__ import annotations

from typing import Any

import polars as pl

from ecap_pipeline.ml.fraud_config import FraudRulesConfig, load_rules
from ecap_pipeline.ml.fraud_evaluation import evaluate_fraud_model
from ecap_pipeline.ml.fraud_features import TRANSACTIONS_SQL, conform_transactions
from ecap_pipeline.ml.fraud_inputs import model_inputs
from ecap_pipeline.ml.fraud_model import TrainedFraudModel, train_fraud_model
from ecap_pipeline.ml.fraud_scoring import fraud_alerts, score_orders
from modelbench.shop import Shop
from modelbench.timing import timed

MODEL = "fraud"


def _train(transactions: pl.DataFrame, labels: pl.DataFrame, rules: FraudRulesConfig) -> TrainedFraudModel:
    """What the `fraud_model` asset times: model inputs from the transactions, then training."""
    return train_fraud_model(model_inputs(transactions, rules), labels, rules=rules)


def measure_fraud(shop: Shop, repeats: int) -> dict[str, Any]:
    """Training seconds and scoring throughput (transactions per second, alerts included).

    A rung too short or with too little fraud to train or judge on is reported as skipped with
    the training's own message (what is missing and which setting changes it), not as a crash.
    """
    rules = load_rules()
    transactions = conform_transactions(shop.query(TRANSACTIONS_SQL), source="benchmark warehouse fct_orders")
    labels = shop.lake_table("fraud_labels")
    try:
        train, model = timed(lambda: _train(transactions, labels, rules), repeats)
        evaluation = evaluate_fraud_model(model, model_inputs(transactions, rules), labels)
    except ValueError as error:
        return {"model": MODEL, "training_rows": transactions.height, "skipped": str(error)}
    score, alerts = timed(
        lambda: fraud_alerts(score_orders(model, transactions), model, model_version="benchmark"), repeats
    )
    return {
        "model": MODEL,
        "training_rows": transactions.height,
        "train_seconds": train,
        "scored": transactions.height,
        "score_seconds": score,
        "scored_per_second": transactions.height / score["median"],
        "unit": "transactions",
        "alerts": alerts.height,
        "metrics": evaluation.metrics,
        "promoted": all(gate.passed for gate in evaluation.gates),
    }
