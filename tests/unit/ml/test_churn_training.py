"""A churn training run on a simulated shop: what it reports, how it is gated, how it fails clearly."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from ecap_pipeline.ml.churn_history import ChurnDataError
from ecap_pipeline.ml.churn_training import ChurnTrainingRun, churn_gates, run_churn_training
from tests.unit.ml.churn_factory import simulated_shop

HORIZON = 30


@pytest.fixture(scope="module")
def run() -> ChurnTrainingRun:
    history, lifetimes = simulated_shop()
    return run_churn_training(history, horizon_days=HORIZON, lifetimes=lifetimes)


def test_a_run_reports_model_and_baseline_metrics_and_the_true_dropout_agreement(run: ChurnTrainingRun) -> None:
    for who in ("model", "baseline"):
        for metric in ("roc_auc", "pr_auc", "brier", "top_decile_lift", "roc_auc_vs_true_dropout"):
            assert f"{who}_{metric}" in run.metrics
    for share in ("train_churn_rate", "evaluation_churn_rate", "truth_dropout_rate", "label_truth_agreement"):
        assert 0.0 < run.metrics[share] < 1.0
    assert run.metrics["truth_customers"] == run.metrics["evaluation_customers"]
    # churn is learnable in the simulated shop: both rank far better than chance
    assert run.metrics["model_roc_auc"] > 0.75
    assert run.metrics["baseline_roc_auc"] > 0.75


def test_the_card_names_the_cutoffs_the_model_was_trained_and_judged_at(run: ChurnTrainingRun) -> None:
    assert str(run.split.train_cutoff) in run.card.method
    assert str(run.split.evaluation_cutoff) in run.card.method
    assert f"next {HORIZON} days" in run.card.purpose


@pytest.mark.parametrize(
    ("model", "baseline", "passed"),
    [(0.85, 0.80, [True, True]), (0.85, 0.83, [True, False]), (0.79, 0.70, [False, True]), (0.80, 0.77, [True, True])],
)
def test_the_gates_are_roc_auc_at_least_080_and_003_above_the_baseline(
    model: float, baseline: float, passed: list[bool]
) -> None:
    gates = churn_gates({"model_roc_auc": model, "baseline_roc_auc": baseline})
    assert [gate.name for gate in gates] == ["model_roc_auc", "model_roc_auc_over_baseline"]
    assert [gate.passed for gate in gates] == passed


def test_a_training_window_without_churners_fails_saying_so() -> None:
    history, _ = simulated_shop(customers=300, days=120, seed=5)
    loyal = history.orders["customer_id"].unique()
    # every customer orders on every day of the range: nobody can churn
    daily = pl.DataFrame({"customer_id": loyal}).join(
        pl.DataFrame({"order_date": pl.date_range(history.first_day, history.observed_until, eager=True)}), how="cross"
    )
    always = history.orders.head(0).vstack(
        daily.with_columns(gross_revenue=pl.lit(11.0), discount_amount=pl.lit(1.0), net_revenue=pl.lit(10.0)).select(
            history.orders.columns
        )
    )
    with pytest.raises(ChurnDataError, match=r"no churners in the training window \(cutoff .*30-day horizon\)"):
        run_churn_training(dataclasses.replace(history, orders=always), horizon_days=HORIZON)


def test_a_shop_with_no_orders_before_the_training_cutoff_fails_saying_nobody_had_ordered() -> None:
    history, _ = simulated_shop(customers=300, days=120, seed=5)
    late = history.orders.filter(pl.col("order_date") > history.observed_until - pl.duration(days=20))
    with pytest.raises(ChurnDataError, match="nobody had ordered before its cutoff"):
        run_churn_training(dataclasses.replace(history, orders=late), horizon_days=HORIZON)
