"""The CLV assets in a real build: a stored, promoted version with its card, and predictions in the warehouse."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from dagster import AssetKey

from assets.clv import CLV_MODEL, QUALITY_CHECK
from ecap_pipeline.ml.registry import ModelRegistry
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration


def _query(built: Built, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        return pl.from_arrow(connection.sql(sql).to_arrow_table())


def test_training_stores_a_promoted_version_with_card_metrics_and_window(built: Built) -> None:
    version = ModelRegistry(built.settings.models_dir).latest_promoted("clv")
    assert version.version == "v0001"
    assert version.window["evaluation_end"] == built.settings.end_date.isoformat()
    assert version.metrics["recovery_max_relative_error"] <= 0.10
    assert "## Quality gates" in version.card_path.read_text()
    materialization = built.instance.get_latest_materialization_event(AssetKey(CLV_MODEL))
    assert materialization is not None
    metadata = materialization.asset_materialization.metadata
    assert metadata["model card"].value == str(version.card_path)
    assert metadata["promoted"].value is True


def test_the_quality_check_reports_the_recovery_gate(built: Built) -> None:
    (evaluation,) = [e for e in built.result.get_asset_check_evaluations() if e.check_name == QUALITY_CHECK]
    assert evaluation.passed
    assert "recovery_max_relative_error <= 0.1" in evaluation.description


def test_every_customer_with_an_order_gets_a_prediction(built: Built) -> None:
    predictions = _query(built, "select * from clv_predictions")
    buyers = _query(built, "select distinct customer_id from fct_orders")
    assert set(predictions["customer_id"]) == set(buyers["customer_id"])
    assert predictions["customer_id"].is_unique().all()
    assert (predictions["as_of_date"] == built.settings.end_date).all()
    assert predictions["probability_alive"].is_between(0, 1).all()
    assert (predictions["expected_purchases_365d"] >= predictions["expected_purchases_90d"]).all()
    assert (predictions["predicted_clv_12m"] >= 0).all()
