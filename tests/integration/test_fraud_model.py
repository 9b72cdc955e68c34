"""The fraud assets on the tiny 30-day shop, retrained through Dagster's retrain_models job.

The shared build injects fraud at 15% (see conftest): about 35 fraudulent orders in 30 tiny days,
of which the 9 held-out days hold 10. That is enough for the model to pass its gates honestly
(recall 1.0 at precision 0.83 on this shop), so these tests check the promoted outcome end to end:
a stored, judged version, a passing quality check, and `fraud_alerts` holding exactly the orders
the evaluation counted as alerted on the held-out days.
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from dagster import AssetCheckSeverity, ExecuteInProcessResult

from assets.fraud import FRAUD_ALERTS, FRAUD_MODEL, QUALITY_CHECK
from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.ml.fraud_evaluation import MIN_PRECISION, MIN_RECALL
from ecap_pipeline.ml.fraud_model import MODEL_NAME, FraudTrainingOptions, TrainedFraudModel
from ecap_pipeline.ml.fraud_scoring import ALERT_SCHEMA, PRIORITIES
from ecap_pipeline.ml.registry import ModelRegistry, ModelVersion
from tests.integration.conftest import END, START, Built

pytestmark = pytest.mark.integration


def _version(built: Built) -> ModelVersion:
    (version,) = ModelRegistry(built.settings.models_dir).versions(MODEL_NAME)
    return version


def _alerts(built: Built) -> pl.DataFrame:
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        return pl.from_arrow(connection.sql(f"select * from main.{FRAUD_ALERTS}").to_arrow_table())


def test_training_stores_a_promoted_version_judged_on_a_later_period(
    built: Built, retrained: ExecuteInProcessResult
) -> None:
    version = _version(built)
    assert version.promoted
    assert version.window == {
        "train_start": START,
        "train_end": "2025-09-28",
        "evaluation_start": "2025-09-29",
        "evaluation_end": END,
    }
    assert version.metrics["recall"] >= MIN_RECALL
    assert version.metrics["precision"] >= MIN_PRECISION
    assert version.metrics["validation_precision"] >= FraudTrainingOptions().target_precision
    assert version.metrics["holdout_fraud_orders"] >= 10
    assert {"recall_account_takeover", "recall_amount_outlier", "linked_alerts_per_day"} <= set(version.metrics)
    assert isinstance(version.load(), TrainedFraudModel)
    assert version.card_path.read_text().startswith("# Fraud risk")
    (materialization,) = retrained.asset_materializations_for_node(FRAUD_MODEL)
    metadata = materialization.metadata
    assert metadata["version"].value == version.version == "v0001"
    assert metadata["promoted"].value is True
    assert metadata["recall"].value == pytest.approx(version.metrics["recall"])
    assert metadata["model card"].value == str(version.card_path)


def test_the_quality_check_is_an_error_check_that_passes_naming_each_gate(retrained: ExecuteInProcessResult) -> None:
    (evaluation,) = [e for e in retrained.get_asset_check_evaluations() if e.check_name == QUALITY_CHECK]
    assert evaluation.passed
    assert evaluation.severity == AssetCheckSeverity.ERROR
    assert evaluation.description == "v0001 promoted"
    assert set(evaluation.metadata) == {"recall", "precision"}
    assert evaluation.metadata["recall"].value.endswith(f"(needs recall >= {MIN_RECALL:g})")


def test_fraud_alerts_are_published_from_the_promoted_version_with_priorities_and_reasons(
    built: Built, retrained: ExecuteInProcessResult
) -> None:
    version = _version(built)
    assert retrained.is_node_success(FRAUD_ALERTS)
    alerts = _alerts(built)
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        orders = connection.execute("select count(*) from main.fct_orders").fetchone()[0]
    assert alerts.columns == list(ALERT_SCHEMA)  # DuckDB hands timestamps back as Etc/UTC
    assert 0 < alerts.height < orders
    assert set(alerts["priority"]) <= set(PRIORITIES)
    assert alerts["reasons"].str.len_chars().min() > 0
    assert alerts["model_version"].unique().to_list() == [version.version]
    # every alert reached the threshold itself or belongs to the burst of one that did
    on_own = alerts.filter(pl.col("linked_to").is_null())
    assert (on_own["risk_score"] >= version.metrics["threshold"]).all()
    assert alerts["linked_to"].drop_nulls().is_in(on_own["order_id"].implode()).all()
    (materialization,) = retrained.asset_materializations_for_node(FRAUD_ALERTS)
    assert materialization.metadata["dagster/row_count"].value == alerts.height


def test_the_held_out_days_alerts_are_the_ones_the_evaluation_judged(built: Built) -> None:
    """Precision and alerts per day recomputed from the published table and the lake's labels match the version."""
    version = _version(built)
    labels = read_table(built.settings.lake_dir, "fraud_labels")
    held_out = _alerts(built).filter(
        pl.col("order_date").is_between(
            pl.lit(version.window["evaluation_start"]).str.to_date(),
            pl.lit(version.window["evaluation_end"]).str.to_date(),
        )
    )
    days = 9  # 2025-09-29 .. 2025-10-07
    assert held_out.height / days == pytest.approx(version.metrics["alerts_per_day"])
    precision = held_out["order_id"].is_in(labels["order_id"].implode()).mean()
    assert precision == pytest.approx(version.metrics["precision"])
