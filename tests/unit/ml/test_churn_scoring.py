"""Churn scores: risk bands at their documented thresholds, honest top features, an empty scoring set."""

from __future__ import annotations

import polars as pl
import pytest

from ecap_pipeline.ml.churn_features import FEATURES, churn_features
from ecap_pipeline.ml.churn_model import TrainedChurn, churn_dataset, train_churn
from ecap_pipeline.ml.churn_scoring import SCORES_SCHEMA, risk_band, score_churn
from ecap_pipeline.ml.churn_split import churn_split
from tests.unit.ml.churn_factory import simulated_shop


@pytest.fixture(scope="module")
def scored() -> tuple[TrainedChurn, pl.DataFrame, pl.DataFrame]:
    history, _ = simulated_shop(customers=300, days=120, seed=5)
    split = churn_split(history.first_day, history.observed_until, 30)
    trained = train_churn(churn_dataset(history, split.train_cutoff, 30), horizon_days=30)
    features = churn_features(history, split.scoring_cutoff)
    return trained, features, score_churn(trained, features)


@pytest.mark.parametrize(
    ("probability", "band"), [(0.95, "high"), (0.70, "high"), (0.6999, "medium"), (0.40, "medium"), (0.39, "low")]
)
def test_risk_bands_follow_the_documented_thresholds(probability: float, band: str) -> None:
    assert risk_band(probability) == band


def test_every_customer_who_has_ordered_gets_one_score_row(
    scored: tuple[TrainedChurn, pl.DataFrame, pl.DataFrame],
) -> None:
    trained, features, scores = scored
    assert scores.schema == pl.Schema(SCORES_SCHEMA)
    assert scores["customer_id"].to_list() == features["customer_id"].to_list()
    assert scores["churn_probability"].is_between(0.0, 1.0).all()
    assert scores["churn_probability"].to_list() == pytest.approx(list(trained.predict(features)))
    assert set(scores["risk_band"]) <= {"high", "medium", "low"}


def test_top_features_are_model_features_with_the_log_odds_they_add(
    scored: tuple[TrainedChurn, pl.DataFrame, pl.DataFrame],
) -> None:
    _, _, scores = scored
    explained = scores.filter(pl.col("top_feature").is_not_null())
    assert explained.height > 0
    for top, listed in explained.select("top_feature", "top_features").iter_rows():
        entries = [entry.rsplit(" ", 1) for entry in listed.split(", ")]
        assert 1 <= len(entries) <= 3
        assert entries[0][0] == top
        assert {name for name, _ in entries} <= set(FEATURES)
        contributions = [float(value) for _, value in entries]
        assert all(value > 0 for value in contributions)
        assert contributions == sorted(contributions, reverse=True)


def test_a_customer_exactly_like_the_typical_one_has_no_risk_raising_feature(
    scored: tuple[TrainedChurn, pl.DataFrame, pl.DataFrame],
) -> None:
    trained, features, _ = scored
    typical = dict(zip(FEATURES, trained.reference, strict=True))
    for name, vocabulary in trained.vocabularies.items():
        typical[name] = vocabulary[int(typical[name])]
    row = pl.DataFrame([{"customer_id": "TYPICAL", **typical}], schema=features.schema)
    assert score_churn(trained, row).row(0, named=True)["top_feature"] is None


def test_an_empty_scoring_set_gives_an_empty_table_with_the_scores_schema(
    scored: tuple[TrainedChurn, pl.DataFrame, pl.DataFrame],
) -> None:
    trained, features, _ = scored
    empty = score_churn(trained, features.head(0))
    assert empty.is_empty()
    assert empty.schema == pl.Schema(SCORES_SCHEMA)
