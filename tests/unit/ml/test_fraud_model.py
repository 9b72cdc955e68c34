"""Training, judging and scoring the fraud model on a hand-made shop, and its degenerate cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.ml.fraud_config import load_rules
from ecap_pipeline.ml.fraud_evaluation import evaluate_fraud_model
from ecap_pipeline.ml.fraud_features import TRANSACTION_SCHEMA, conform_transactions
from ecap_pipeline.ml.fraud_inputs import model_inputs
from ecap_pipeline.ml.fraud_model import MODEL_NAME, FraudTrainingOptions, TrainedFraudModel, train_fraud_model
from ecap_pipeline.ml.fraud_scoring import ALERT_SCHEMA, fraud_alerts, score_orders
from ecap_pipeline.ml.registry import ModelCard, ModelRegistry
from tests.unit.ml.fraud_frames import frame, order

RULES = load_rules()
OPTIONS = FraudTrainingOptions(anomaly_trees=30, classifier_trees=50)
START = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
Trained = tuple[TrainedFraudModel, pl.DataFrame, pl.DataFrame]


def _shop(days: int, *, takeovers: bool = True) -> tuple[pl.DataFrame, pl.DataFrame]:
    """30 customers ordering from home every few days, and (optionally) one account takeover a day."""
    rng = np.random.default_rng(3)
    rows, labels = [], []
    for day in range(days):
        for customer in rng.choice(30, size=10, replace=False):
            at = START + dt.timedelta(days=day, minutes=int(rng.integers(0, 600)))
            rows.append(order(f"o{day}-{customer}", f"c{customer}", at, float(rng.uniform(20, 120))))
        if takeovers:
            victim = f"c{rng.integers(30)}"
            at = START + dt.timedelta(days=day, hours=11)
            rows.append(order(f"f{day}", victim, at, float(rng.uniform(600, 900)), device=f"Dx{day}", city="new_york"))
            labels.append({"order_id": f"f{day}", "customer_id": victim, "pattern": "account_takeover"})
    schema = {"order_id": pl.String, "customer_id": pl.String, "pattern": pl.String}
    return frame(rows), pl.DataFrame(labels, schema=schema)


@pytest.fixture(scope="module")
def trained() -> Trained:
    """A model trained on 40 days (28 to learn from, 12 held out), its transactions and labels."""
    transactions, labels = _shop(40)
    model = train_fraud_model(model_inputs(transactions, RULES), labels, rules=RULES, options=OPTIONS)
    return model, transactions, labels


def test_the_model_learns_on_earlier_days_and_is_judged_on_later_ones(trained: Trained) -> None:
    model, transactions, labels = trained
    assert model.window.train_end < model.window.evaluation_start
    assert model.window.evaluation_end == dt.date(2025, 4, 9)
    evaluation = evaluate_fraud_model(model, model_inputs(transactions, RULES), labels)
    metrics = evaluation.metrics
    assert all(type(value) is float for value in metrics.values())
    assert metrics["holdout_fraud_orders"] == 12  # the last 30% of 40 days, one takeover a day
    assert metrics["recall_account_takeover"] == metrics["recall"] == 1.0
    assert metrics["precision"] == 1.0
    assert metrics["alerts_per_day"] == pytest.approx(1.0)
    assert all(gate.passed for gate in evaluation.gates)


def test_alerts_rank_flagged_orders_with_priority_and_reasons(trained: Trained) -> None:
    model, transactions, _ = trained
    alerts = fraud_alerts(score_orders(model, transactions), model, model_version="v0007")
    assert dict(alerts.schema) == ALERT_SCHEMA
    assert set(alerts["order_id"]) == {f"f{day}" for day in range(40)}
    assert alerts["risk_score"].is_sorted(descending=True)
    assert alerts["reasons"].str.len_chars().min() > 0
    # a customer taken over again is no longer "in a new country": then the classifier's reason stands
    first_takeovers = alerts.sort("ordered_at").filter(pl.col("customer_id").is_first_distinct())
    assert first_takeovers["rules_fired"].str.contains("new_device_country_amount").all()
    assert set(alerts["priority"]) <= {"critical", "high", "medium", "low"}
    assert alerts["model_version"].unique().to_list() == ["v0007"]


def test_a_stored_version_loads_and_scores_like_the_trained_model(trained: Trained, tmp_path: Path) -> None:
    model, transactions, labels = trained
    evaluation = evaluate_fraud_model(model, model_inputs(transactions, RULES), labels)
    version = ModelRegistry(tmp_path).register(
        MODEL_NAME, artifact=model, metrics=evaluation.metrics, features=model.features, window=model.window,
        gates=evaluation.gates, card=ModelCard("Fraud", "purpose", "method", "limits"),
    )  # fmt: skip
    loaded = version.load()
    assert isinstance(loaded, TrainedFraudModel)
    assert score_orders(loaded, transactions).equals(score_orders(model, transactions))


def test_an_empty_scoring_set_gives_an_empty_alert_table(trained: Trained) -> None:
    model, _, _ = trained
    scored = score_orders(model, pl.DataFrame(schema=TRANSACTION_SCHEMA))
    assert scored.is_empty()
    assert "risk_score" in scored.columns
    assert fraud_alerts(scored, model, model_version="v0001").schema == pl.Schema(ALERT_SCHEMA)


def test_a_training_period_without_fraud_is_refused_with_what_to_change() -> None:
    transactions, labels = _shop(40, takeovers=False)
    with pytest.raises(ValueError, match=r"training period \(2025-03-01 .. 2025-03-28.*no fraudulent order") as raised:
        train_fraud_model(model_inputs(transactions, RULES), labels, rules=RULES, options=OPTIONS)
    assert "ECAP_FRAUD_RATE" in str(raised.value)


def test_a_range_too_short_to_hold_out_a_period_says_how_many_days_it_needs() -> None:
    transactions, labels = _shop(12)
    with pytest.raises(ValueError, match=r"spanning 12 day\(s\).*at least 21 days.*ECAP_START_DATE / ECAP_END_DATE"):
        train_fraud_model(model_inputs(transactions, RULES), labels, rules=RULES, options=OPTIONS)


def test_a_held_out_period_without_fraud_cannot_be_judged(trained: Trained) -> None:
    model, transactions, labels = trained
    early = labels.filter(pl.col("order_id").str.slice(1).cast(pl.Int64) < 28)
    with pytest.raises(ValueError, match=r"held-out period \(2025-03-29 .. 2025-04-09.*no fraudulent order"):
        evaluate_fraud_model(model, model_inputs(transactions, RULES), early)


def test_transactions_missing_a_column_are_refused_naming_the_source_and_column() -> None:
    transactions, _ = _shop(1)
    with pytest.raises(ValueError, match=r"warehouse fct_orders: missing column\(s\) \['card_id'\]"):
        conform_transactions(transactions.drop("card_id"), source="warehouse fct_orders")


def test_a_duplicated_order_is_refused_naming_it() -> None:
    transactions, _ = _shop(1)
    with pytest.raises(ValueError, match=r"orders.parquet: order_id must be unique, 'o0-\d+' appears more than once"):
        conform_transactions(pl.concat([transactions, transactions.head(1)]), source="orders.parquet")
