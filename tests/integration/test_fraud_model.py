"""The fraud assets in the tiny build: a judged, stored version, its quality check, and `fraud_alerts`.

The shared build injects fraud at 15% (see conftest): at the default 1% its 30 tiny days hold
about three fraudulent orders, too few to train on or to judge recall with.
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from dagster import AssetKey

from assets.fraud import FRAUD_ALERTS, FRAUD_MODEL, QUALITY_CHECK
from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.ml.fraud_evaluation import MIN_PRECISION, MIN_RECALL
from ecap_pipeline.ml.fraud_model import MODEL_NAME
from ecap_pipeline.ml.fraud_scoring import ALERT_SCHEMA, PRIORITIES
from ecap_pipeline.ml.registry import ModelRegistry
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration


def _materialization_metadata(built: Built, key: str) -> dict[str, object]:
    event = built.instance.get_latest_materialization_event(AssetKey([key]))
    assert event is not None, f"{key} was not materialized"
    return event.asset_materialization.metadata


def test_training_stores_a_version_judged_on_a_later_period(built: Built) -> None:
    (version,) = ModelRegistry(built.settings.models_dir).versions(MODEL_NAME)
    window = version.window
    assert window["train_end"] < window["evaluation_start"] <= window["evaluation_end"] == "2025-10-07"
    for name in ("precision", "recall", "pr_auc", "alerts_per_day", "threshold"):
        assert version.metrics[name] >= 0.0
    assert any(name.startswith("recall_") for name in version.metrics)
    assert {gate.rule for gate in version.gates} == {f"recall >= {MIN_RECALL:g}", f"precision >= {MIN_PRECISION:g}"}
    assert version.card_path.read_text().startswith("# Fraud risk")
    metadata = _materialization_metadata(built, FRAUD_MODEL)
    assert metadata["version"].value == version.version
    assert metadata["promoted"].value == version.promoted
    assert metadata["model card"].value == str(version.card_path)
    assert metadata["recall"].value == pytest.approx(version.metrics["recall"])


def test_the_quality_check_reports_each_gate_and_agrees_with_promotion(built: Built) -> None:
    (version,) = ModelRegistry(built.settings.models_dir).versions(MODEL_NAME)
    (evaluation,) = [
        check for check in built.result.get_asset_check_evaluations() if check.asset_check_key.name == QUALITY_CHECK
    ]
    assert evaluation.passed == version.promoted
    assert set(evaluation.metadata) == {"recall", "precision"}


def test_fraud_alerts_hold_the_orders_at_or_above_the_threshold_with_reasons(built: Built) -> None:
    version = ModelRegistry(built.settings.models_dir).latest_promoted(MODEL_NAME)
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        alerts = pl.from_arrow(connection.sql(f"select * from main.{FRAUD_ALERTS}").to_arrow_table())
        orders = connection.execute("select count(*) from main.fct_orders").fetchone()[0]
    assert alerts.columns == list(ALERT_SCHEMA)  # DuckDB hands timestamps back as Etc/UTC
    assert 0 < alerts.height < orders
    assert (alerts["risk_score"] >= version.metrics["threshold"]).all()
    assert set(alerts["priority"]) <= set(PRIORITIES)
    assert alerts["reasons"].str.len_chars().min() > 0
    assert alerts["model_version"].unique().to_list() == [version.version]
    labels = read_table(built.settings.lake_dir, "fraud_labels")
    caught = alerts["order_id"].is_in(labels["order_id"].implode()).mean()
    assert caught >= 0.5, "most alerts of a promoted model are injected fraud"
    assert _materialization_metadata(built, FRAUD_ALERTS)["dagster/row_count"].value == alerts.height
