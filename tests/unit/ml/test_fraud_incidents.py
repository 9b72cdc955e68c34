"""Bursts reviewed as incidents: which earlier orders join a flagged order, and how alerts show them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
from sklearn.ensemble import IsolationForest, RandomForestClassifier

from ecap_pipeline.ml.fraud_config import FraudRulesConfig, load_rules
from ecap_pipeline.ml.fraud_incidents import with_incidents
from ecap_pipeline.ml.fraud_model import TrainedFraudModel
from ecap_pipeline.ml.fraud_rules import evaluate_rules
from ecap_pipeline.ml.fraud_scoring import ALERT_SCHEMA, fraud_alerts
from ecap_pipeline.ml.registry import TrainingWindow
from tests.unit.ml.fraud_frames import DAY, calm_history, frame, order

RULES = load_rules()
MINUTE = dt.timedelta(minutes=1)
THRESHOLD = 0.5


def _scored(rows: list[dict[str, object]], risks: dict[str, float], rules: FraudRulesConfig = RULES) -> pl.DataFrame:
    """Rule verdicts of `rows` and a risk score per order: `risks` by order id, 0.1 for the rest."""
    judged = evaluate_rules(frame(rows), rules)
    risk = pl.col("order_id").replace_strict(risks, default=0.1, return_dtype=pl.Float64)
    return judged.with_columns(risk.alias("risk_score"), pl.lit(0.3).alias("anomaly_score"))


def _by_order(incidents: pl.DataFrame) -> dict[str, tuple[str | None, bool]]:
    return {row["order_id"]: (row["linked_to"], row["alerted"]) for row in incidents.iter_rows(named=True)}


def _burst() -> list[dict[str, object]]:
    """c1's calm history, then three orders in 40 minutes: customer_velocity fires on the third, `t`."""
    return [
        *calm_history("c1"),
        order("a", "c1", DAY, 40.0),
        order("b", "c1", DAY + 20 * MINUTE, 60.0),
        order("t", "c1", DAY + 40 * MINUTE, 50.0),
    ]


def test_the_first_orders_of_a_flagged_burst_join_its_incident() -> None:
    incidents = with_incidents(_scored(_burst(), {"t": 0.8}), RULES, THRESHOLD)
    assert "customer_velocity" in incidents.filter(pl.col("order_id") == "t")["rules_fired"].item()
    linked = _by_order(incidents)
    assert linked["a"] == linked["b"] == ("t", True)
    assert linked["t"] == (None, True)  # alerted on its own risk
    assert incidents.filter(pl.col("order_id").is_in(["a", "b"]))["incident_risk"].to_list() == [0.8, 0.8]


def test_calm_orders_and_other_entities_within_the_window_are_not_linked() -> None:
    rows = [*_burst(), order("x", "c2", DAY + 10 * MINUTE, 50.0), order("y", "c3", DAY + 30 * MINUTE, 45.0)]
    linked = _by_order(with_incidents(_scored(rows, {"t": 0.8}), RULES, THRESHOLD))
    assert linked["x"] == linked["y"] == (None, False)
    assert all(linked[f"c1-h{week}"] == (None, False) for week in (2, 3, 4, 5))


def test_a_burst_below_the_threshold_links_nothing() -> None:
    incidents = with_incidents(_scored(_burst(), {"t": 0.4}), RULES, THRESHOLD)
    assert incidents["linked_to"].null_count() == incidents.height
    assert not incidents["alerted"].any()


def test_an_order_exactly_a_window_before_the_flagged_one_is_outside_the_burst() -> None:
    """The rule counts the last 60 minutes up to the order, so an order 60 minutes earlier was not counted."""
    rows = [
        *calm_history("c1"),
        order("edge", "c1", DAY, 40.0),
        order("inside", "c1", DAY + MINUTE, 40.0),
        order("b", "c1", DAY + 30 * MINUTE, 60.0),
        order("t", "c1", DAY + 60 * MINUTE, 50.0),
    ]
    linked = _by_order(with_incidents(_scored(rows, {"t": 0.8}), RULES, THRESHOLD))
    assert linked["edge"] == (None, False)
    assert linked["inside"] == linked["b"] == ("t", True)


def test_card_testing_links_only_the_small_orders_it_counted() -> None:
    card_testing = dataclasses.replace(RULES, rules=tuple(rule for rule in RULES.rules if rule.name == "card_testing"))
    rows = [
        order("small", "c2", DAY, 4.0, card="Ktest"),
        order("big", "c3", DAY + MINUTE, 250.0, card="Ktest"),
        order("t", "c2", DAY + 4 * MINUTE, 3.0, card="Ktest"),
    ]
    linked = _by_order(with_incidents(_scored(rows, {"t": 0.9}, card_testing), card_testing, THRESHOLD))
    assert linked == {"small": ("t", True), "big": (None, False), "t": (None, True)}


def test_an_order_counted_by_two_flagged_orders_joins_the_incident_the_first_one_opened() -> None:
    rows = [*_burst(), order("u", "c1", DAY + 50 * MINUTE, 55.0)]
    incidents = with_incidents(_scored(rows, {"t": 0.6, "u": 0.95}), RULES, THRESHOLD)
    assert _by_order(incidents)["a"] == ("t", True)
    assert incidents.filter(pl.col("order_id") == "a")["incident_risk"].item() == 0.6
    assert incidents["order_id"].to_list() == frame(rows).sort("ordered_at", "order_id")["order_id"].to_list()


def test_an_empty_frame_gets_the_incident_columns() -> None:
    incidents = with_incidents(_scored(_burst(), {}).head(0), RULES, THRESHOLD)
    assert incidents.is_empty()
    assert {"linked_to", "incident_risk", "alerted"} <= set(incidents.columns)


def test_a_linked_alert_names_its_burst_and_takes_its_priority() -> None:
    window = TrainingWindow(DAY.date(), DAY.date(), DAY.date(), DAY.date())
    model = TrainedFraudModel(
        rules=RULES,
        anomaly=IsolationForest(),
        classifier=RandomForestClassifier(),
        threshold=THRESHOLD,
        features=(),
        window=window,
        validation_precision=1.0,
        validation_recall=1.0,
    )  # fmt: skip - estimators are not called: alerts read the scores already in the frame
    alerts = fraud_alerts(_scored(_burst(), {"t": 0.95}), model, model_version="v0001")
    assert alerts.columns == list(ALERT_SCHEMA)
    assert alerts["order_id"].to_list() == ["t", "a", "b"]
    assert alerts["linked_to"].to_list() == [None, "t", "t"]
    assert alerts["priority"].to_list() == ["critical"] * 3
    assert alerts["reasons"].to_list()[1:] == ["part of the burst flagged at order t"] * 2
    assert alerts["risk_score"].to_list() == [0.95, 0.1, 0.1]
