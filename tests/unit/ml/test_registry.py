"""The model registry: versions on disk, promotion by quality gates, the card, crash safety."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ecap_pipeline.ml.registry import (
    ModelCard,
    ModelRegistry,
    NoPromotedModelError,
    QualityGate,
    TrainingWindow,
)

WINDOW = TrainingWindow(dt.date(2025, 3, 1), dt.date(2025, 6, 1), dt.date(2025, 6, 2), dt.date(2025, 8, 31))
CARD = ModelCard(title="Churn", purpose="Who stops buying.", method="Gradient boosting.", limitations="Synthetic.")


def _register(registry: ModelRegistry, auc: float, artifact: object = "fitted") -> str:
    version = registry.register(
        "churn",
        artifact=artifact,
        metrics={"roc_auc": auc, "pr_auc": 0.5},
        features=["recency_days", "frequency"],
        window=WINDOW,
        gates=[QualityGate.at_least("roc_auc", auc, 0.80)],
        card=CARD,
    )
    return version.version


def test_a_version_folder_holds_artifact_metrics_features_window_and_card(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    version = registry.get("churn", _register(registry, 0.91, artifact={"weights": [1, 2]}))
    assert version.version == "v0001"
    assert version.load() == {"weights": [1, 2]}
    assert json.loads((version.path / "metrics.json").read_text()) == {"roc_auc": 0.91, "pr_auc": 0.5}
    assert version.features == ["recency_days", "frequency"]
    assert version.window == {
        "train_start": "2025-03-01",
        "train_end": "2025-06-01",
        "evaluation_start": "2025-06-02",
        "evaluation_end": "2025-08-31",
    }
    card = version.card_path.read_text()
    assert "# Churn — churn v0001" in card
    assert "| roc_auc >= 0.8 | 0.9100 | passed |" in card
    assert "`recency_days`, `frequency`" in card


def test_a_version_that_fails_a_gate_is_kept_but_never_scored_with(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    _register(registry, 0.90)
    _register(registry, 0.70)
    assert [v.version for v in registry.versions("churn")] == ["v0001", "v0002"]
    assert [v.promoted for v in registry.versions("churn")] == [True, False]
    assert registry.latest_promoted("churn").version == "v0001"
    assert "not promoted" in registry.get("churn", "v0002").card_path.read_text()


def test_the_latest_passing_version_wins(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    for auc in (0.85, 0.70, 0.88, 0.60):
        _register(registry, auc)
    assert registry.latest_promoted("churn").version == "v0003"


def test_no_passing_version_names_the_failed_gate(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    with pytest.raises(NoPromotedModelError, match="never been trained"):
        registry.latest_promoted("churn")
    _register(registry, 0.61)
    with pytest.raises(NoPromotedModelError, match=r"latest v0001: roc_auc >= 0.8: 0.6100 \(FAILED\)"):
        registry.latest_promoted("churn")


def test_an_unpicklable_artifact_leaves_no_version_behind(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    with pytest.raises(Exception, match="pickle"):
        _register(registry, 0.9, artifact=lambda: None)
    assert registry.versions("churn") == []
    assert list((tmp_path / "churn").iterdir()) == []


def test_a_leftover_staging_folder_from_a_crash_is_not_a_version(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    (tmp_path / "churn" / ".staging-abc").mkdir(parents=True)
    (tmp_path / "churn" / ".staging-abc" / "model.pkl").write_bytes(b"partial")
    assert registry.versions("churn") == []
    assert _register(registry, 0.9) == "v0001"


def test_an_unknown_version_lists_the_known_ones(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    _register(registry, 0.9)
    with pytest.raises(LookupError, match=r"no version 'v0009'.*versions: v0001"):
        registry.get("churn", "v0009")


@pytest.mark.parametrize("name", ["Churn", "../escape", "", "1model"])
def test_a_model_name_that_is_not_a_plain_identifier_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="model name"):
        ModelRegistry(tmp_path).register(
            name,
            artifact=1,
            metrics={},
            features=[],
            window=WINDOW,
            gates=[QualityGate.at_least("x", 1, 0)],
            card=CARD,
        )


def test_a_version_without_gates_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one quality gate"):
        ModelRegistry(tmp_path).register(
            "churn", artifact=1, metrics={}, features=[], window=WINDOW, gates=[], card=CARD
        )
