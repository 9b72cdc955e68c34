"""Churn: the time-split training run (model and baseline) and scoring, as the assets run them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assets.churn import HISTORY_QUERIES
from ecap_pipeline.ml.churn_features import churn_features
from ecap_pipeline.ml.churn_history import ChurnHistory
from ecap_pipeline.ml.churn_scoring import score_churn
from ecap_pipeline.ml.churn_training import run_churn_training
from modelbench.shop import Shop
from modelbench.timing import timed

HORIZON_DAYS = 90


def measure_churn(shop: Shop, repeats: int) -> dict[str, Any]:
    """Training seconds (features at two cutoffs, both models, metrics) and scoring throughput (customers/s)."""
    history = ChurnHistory.from_frames(**{name: shop.query(sql) for name, sql in HISTORY_QUERIES.items()})
    horizon = min(HORIZON_DAYS, shop.days.days // 3)
    lifetimes = shop.lake_table("customer_lifetimes")
    train, run = timed(lambda: run_churn_training(history, horizon_days=horizon, lifetimes=lifetimes), repeats)
    cutoff = history.observed_until + dt.timedelta(days=1)
    score, scores = timed(lambda: score_churn(run.trained, churn_features(history, cutoff)), repeats)
    return {
        "model": f"churn ({horizon} d)",
        "training_rows": int(run.metrics["train_customers"]),
        "train_seconds": train,
        "scored": scores.height,
        "score_seconds": score,
        "scored_per_second": scores.height / score["median"],
        "unit": "customers",
        "metrics": run.metrics,
        "promoted": all(gate.passed for gate in run.gates),
    }
