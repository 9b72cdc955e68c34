"""The churn assets on the tiny 30-day shop, retrained through Dagster's retrain_models job.

Thirty days with a 7-day horizon leave the training cutoff only 16 days of history, and in that
time the tiny shop's customers barely drop out (most "churn" is a week without an order), so the
model honestly cannot reach the 0.80 ROC-AUC gate. These tests check that honest outcome end to
end: the version is stored with its metrics and card but not promoted, the quality check fails
naming each gate, and scoring refuses to publish rather than use an unproven model.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import AssetCheckSeverity, AssetKey, ExecuteInProcessResult, materialize

from assets.churn import CHURN_MODEL_QUALITY, build_churn_assets
from ecap_pipeline.ml.churn_features import FEATURES
from ecap_pipeline.ml.churn_model import TrainedChurn
from ecap_pipeline.ml.registry import ModelRegistry
from resources.lake import LakeResource
from resources.models import ModelRegistryResource
from resources.warehouse import WarehouseResource
from tests.integration.conftest import END, START, Built

pytestmark = pytest.mark.integration

METRICS = (
    "model_roc_auc",
    "model_pr_auc",
    "model_brier",
    "model_top_decile_lift",
    "baseline_roc_auc",
    "baseline_pr_auc",
    "baseline_brier",
    "baseline_top_decile_lift",
    "evaluation_churn_rate",
    "label_truth_agreement",
)


def test_a_version_is_stored_with_metrics_features_window_and_card_but_not_promoted(
    built: Built, retrained: ExecuteInProcessResult
) -> None:
    (version,) = ModelRegistry(built.settings.models_dir).versions("churn")
    assert not version.promoted
    assert set(METRICS) <= set(version.metrics)
    assert version.metrics["model_roc_auc"] < 0.80
    assert version.features == list(FEATURES)
    assert version.window == {
        "train_start": START,
        "train_end": "2025-09-30",
        "evaluation_start": "2025-10-01",
        "evaluation_end": END,
    }
    assert "not promoted" in version.card_path.read_text()
    assert isinstance(version.load(), TrainedChurn)


def test_the_quality_check_fails_as_an_error_naming_each_gate(retrained: ExecuteInProcessResult) -> None:
    (evaluation,) = [e for e in retrained.get_asset_check_evaluations() if e.check_name == CHURN_MODEL_QUALITY]
    assert not evaluation.passed
    assert evaluation.severity == AssetCheckSeverity.ERROR
    assert "model_roc_auc >= 0.8" in evaluation.description
    assert {"model_roc_auc", "model_roc_auc_over_baseline"} <= set(evaluation.metadata)


def test_the_training_materialization_shows_the_metrics_version_and_card(retrained: ExecuteInProcessResult) -> None:
    (materialization,) = retrained.asset_materializations_for_node("churn_model")
    metadata = materialization.metadata
    assert set(METRICS) <= set(metadata)
    assert metadata["version"].value == "v0001"
    assert metadata["promoted"].value is False
    assert metadata["evaluation_start"].value == "2025-10-01"
    assert Path(metadata["model card"].value).name == "MODEL_CARD.md"


def test_scoring_without_a_promoted_version_fails_with_the_registry_message_and_writes_nothing(
    built: Built, retrained: ExecuteInProcessResult
) -> None:
    assert not retrained.success
    failures = [event for event in retrained.all_events if event.is_step_failure]
    assert [event.step_key for event in failures] == ["churn_scores"]
    message = failures[0].event_specific_data.error.message
    assert "model 'churn' has no promoted version" in message
    assert "model_roc_auc >= 0.8" in message
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        tables = {name for (name,) in connection.execute("select table_name from information_schema.tables").fetchall()}
    assert "churn_scores" not in tables


def test_too_short_a_range_for_the_horizon_fails_training_saying_what_to_change(built: Built, tmp_path: Path) -> None:
    result = materialize(
        build_churn_assets(90),
        selection=[AssetKey("churn_model")],
        resources={
            "warehouse": WarehouseResource(path=str(built.settings.warehouse_path)),
            "lake": LakeResource(data_dir=str(built.settings.data_dir)),
            "models": ModelRegistryResource(root=str(tmp_path)),
        },
        raise_on_error=False,
    )
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    message = failure.event_specific_data.error.message
    assert "churn needs at least 270 days of data" in message
    assert "ECAP_CHURN_HORIZON_DAYS" in message
    assert ModelRegistry(tmp_path).versions("churn") == []
