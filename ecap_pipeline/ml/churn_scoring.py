"""Churn scores for analysts: a probability, a risk band and the features that push each customer's risk up.

Why a customer scores high is answered by local attribution against the typical customer: for each
feature, how much the model's churn log-odds for this customer would fall if that one feature took
the training population's typical value (median, or most frequent category) and everything else
stayed. It asks only the fitted model (one extra prediction per feature, no permutations, no
surrogate), so it is cheap and exactly the model's own behaviour; it ignores interactions between
features, which is the price of being readable.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.ml.churn_features import FEATURES
from ecap_pipeline.ml.churn_model import TrainedChurn

RISK_BANDS: tuple[tuple[str, float], ...] = (("high", 0.70), ("medium", 0.40), ("low", 0.0))
"""A customer is in the first band whose lower bound their probability reaches."""
TOP_FEATURES = 3
SCORES_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(),
    "churn_probability": pl.Float64(),
    "risk_band": pl.String(),
    "top_feature": pl.String(),
    "top_features": pl.String(),
}
_EPSILON = 1e-6


def score_churn(trained: TrainedChurn, features: pl.DataFrame) -> pl.DataFrame:
    """One row per row of `features` (`churn_features` output): probability, risk band, top features.

    `top_feature` is the feature raising the customer's risk most; `top_features` lists up to three,
    e.g. "recency_days +1.42, sessions_90d +0.31": each with the log-odds it adds over the typical
    customer. No customers to score gives an empty frame of the same schema, not an error.
    """
    if features.height == 0:
        return pl.DataFrame(schema=SCORES_SCHEMA)
    matrix = trained.encode(features)
    probability = trained.predict_encoded(matrix)
    contributions = feature_contributions(trained, matrix, probability)
    top = [_top_features(row) for row in contributions]
    return pl.DataFrame(
        {
            "customer_id": features["customer_id"],
            "churn_probability": probability,
            "risk_band": [risk_band(value) for value in probability],
            "top_feature": [entries[0][0] if entries else None for entries in top],
            "top_features": [", ".join(f"{name} {value:+.2f}" for name, value in entries) for entries in top],
        },
        schema=SCORES_SCHEMA,
    )


def risk_band(probability: float) -> str:
    """The RISK_BANDS name for `probability`."""
    for name, lower in RISK_BANDS:
        if probability >= lower:
            return name
    return RISK_BANDS[-1][0]


def feature_contributions(
    trained: TrainedChurn, matrix: npt.NDArray[np.float64], probability: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Per row and feature: log-odds(row) - log-odds(row with that feature set to the typical value)."""
    own = _log_odds(probability)
    contributions = np.empty_like(matrix)
    for column in range(matrix.shape[1]):
        typical = matrix.copy()
        typical[:, column] = trained.reference[column]
        contributions[:, column] = own - _log_odds(trained.predict_encoded(typical))
    return contributions


def _top_features(row: npt.NDArray[np.float64]) -> list[tuple[str, float]]:
    order = np.argsort(-row, kind="stable")[:TOP_FEATURES]
    return [(FEATURES[index], float(row[index])) for index in order if row[index] > _EPSILON]


def _log_odds(probability: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    clipped = np.clip(probability, _EPSILON, 1 - _EPSILON)
    return np.log(clipped / (1 - clipped))
