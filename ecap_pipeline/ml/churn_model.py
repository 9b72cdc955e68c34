"""The churn model and its baseline: fitted on one cutoff's features and labels, applied to any cutoff's.

The model is a histogram gradient-boosting classifier on every feature (it takes nulls and the two
categorical attributes natively); the baseline is a logistic regression on recency alone, the
rule of thumb the model has to beat. Both run on one thread: the machine is shared, and OpenMP
threads that spin-wait for a busy core made a two-thread fit some twenty times slower than one
thread under load, while the data is small enough that one thread takes seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from ecap_pipeline.ml.churn_features import CATEGORICAL_FEATURES, FEATURES, NUMERIC_FEATURES, churn_features
from ecap_pipeline.ml.churn_history import ChurnHistory
from ecap_pipeline.ml.churn_metrics import require_both_classes
from ecap_pipeline.ml.churn_split import churn_labels

MAX_THREADS = 1
BASELINE_FEATURE = "recency_days"
FloatMatrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ChurnDataset:
    """One cutoff's customers, their features (FEATURES columns) and, when known, their labels."""

    cutoff: dt.date
    customer_ids: pl.Series
    features: pl.DataFrame
    labels: npt.NDArray[np.int64]

    @property
    def size(self) -> int:
        return self.customer_ids.len()


def churn_dataset(history: ChurnHistory, cutoff: dt.date, horizon_days: int) -> ChurnDataset:
    """Features at `cutoff` with their labels from the `horizon_days` after it."""
    frame = churn_features(history, cutoff)
    labels = churn_labels(history, frame["customer_id"], cutoff, horizon_days)
    return ChurnDataset(cutoff, frame["customer_id"], frame.select(FEATURES), labels.to_numpy().astype(np.int64))


@dataclass(frozen=True)
class TrainedChurn:
    """The fitted model and baseline, with what it takes to encode new features the same way."""

    model: HistGradientBoostingClassifier
    baseline: Pipeline
    vocabularies: dict[str, tuple[str, ...]]
    """The categories seen in training, per categorical feature; others encode as missing."""
    reference: FloatMatrix
    """The training population's typical encoded row (median, or most frequent category)."""
    train_cutoff: dt.date
    horizon_days: int

    def encode(self, features: pl.DataFrame) -> FloatMatrix:
        """FEATURES as a float matrix: nulls as NaN, categories as their index in the vocabulary."""
        return encode_features(features, self.vocabularies)

    def predict(self, features: pl.DataFrame) -> npt.NDArray[np.float64]:
        """Churn probability of each row of `features`."""
        return self.predict_encoded(self.encode(features))

    def predict_encoded(self, matrix: FloatMatrix) -> npt.NDArray[np.float64]:
        with threadpool_limits(limits=MAX_THREADS):
            return self.model.predict_proba(matrix)[:, 1]

    def predict_baseline(self, features: pl.DataFrame) -> npt.NDArray[np.float64]:
        """The recency-only baseline's churn probability of each row."""
        return self.baseline.predict_proba(_baseline_input(features))[:, 1]


def train_churn(train: ChurnDataset, *, horizon_days: int) -> TrainedChurn:
    """Fit the model and the baseline on `train`; one-class labels raise (see `require_both_classes`)."""
    require_both_classes(train.labels, period=f"training window (cutoff {train.cutoff}, {horizon_days}-day horizon)")
    vocabularies = {
        name: tuple(sorted(train.features[name].drop_nulls().unique().to_list())) for name in CATEGORICAL_FEATURES
    }
    matrix = encode_features(train.features, vocabularies)
    model = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=200,
        max_leaf_nodes=15,
        min_samples_leaf=20,
        l2_regularization=1.0,
        categorical_features=[name in CATEGORICAL_FEATURES for name in FEATURES],
        early_stopping=False,
        random_state=0,
    )
    baseline = make_pipeline(StandardScaler(), LogisticRegression())
    with threadpool_limits(limits=MAX_THREADS):
        model.fit(matrix, train.labels)
        baseline.fit(_baseline_input(train.features), train.labels)
    return TrainedChurn(
        model=model,
        baseline=baseline,
        vocabularies=vocabularies,
        reference=_typical_row(matrix),
        train_cutoff=train.cutoff,
        horizon_days=horizon_days,
    )


def encode_features(features: pl.DataFrame, vocabularies: dict[str, tuple[str, ...]]) -> FloatMatrix:
    """The model's input matrix for `features` (columns in FEATURES order)."""
    numeric = [pl.col(name).cast(pl.Float64) for name in NUMERIC_FEATURES]
    categorical = [
        pl.col(name)
        .replace_strict(list(vocabularies[name]), list(range(len(vocabularies[name]))), default=None)
        .cast(pl.Float64)
        .alias(name)
        for name in CATEGORICAL_FEATURES
    ]
    return features.select(*numeric, *categorical).fill_null(float("nan")).to_numpy().astype(np.float64)


def _typical_row(matrix: FloatMatrix) -> FloatMatrix:
    frame = pl.DataFrame(matrix, schema=list(FEATURES), orient="row").fill_nan(None)
    numeric = [frame[name].median() for name in NUMERIC_FEATURES]
    categorical = [frame[name].drop_nulls().mode().min() for name in CATEGORICAL_FEATURES]
    return np.array([np.nan if value is None else value for value in (*numeric, *categorical)], dtype=np.float64)


def _baseline_input(features: pl.DataFrame) -> FloatMatrix:
    return features.select(pl.col(BASELINE_FEATURE).cast(pl.Float64)).to_numpy()
