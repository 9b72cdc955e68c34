"""CLV: BG/NBD + Gamma-Gamma training (with its recovery gate) and scoring, as the assets run them."""

from __future__ import annotations

from typing import Any

from ecap_pipeline.ml.clv_model import ORDER_COLUMNS, predict_clv, train_clv
from modelbench.shop import Shop
from modelbench.timing import timed


def measure_clv(shop: Shop, repeats: int) -> dict[str, Any]:
    """Training seconds and scoring throughput (customers per second)."""
    orders = shop.query(f"select {', '.join(ORDER_COLUMNS)} from fct_orders")
    train, trained = timed(lambda: train_clv(orders, first_day=shop.first_day, last_day=shop.last_day), repeats)
    score, predictions = timed(lambda: predict_clv(trained.model, orders, model_version="benchmark"), repeats)
    return {
        "model": "clv",
        "training_rows": orders.height,
        "train_seconds": train,
        "scored": predictions.height,
        "score_seconds": score,
        "scored_per_second": predictions.height / score["median"],
        "unit": "customers",
        "metrics": trained.metrics,
        "promoted": all(gate.passed for gate in trained.gates),
    }
