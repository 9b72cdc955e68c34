"""Training the fraud model: an anomaly score, then a classifier that combines it with the rules.

The classifier is the combiner: it reads every rule's verdict, the IsolationForest's anomaly score
and the order's own features, and its fraud probability is the one risk score alerts are ranked
by. Learning the combination from labelled history weighs each signal by how often it was right
instead of by hand. The operating threshold (best recall at a target precision, see
`fraud_threshold`) is chosen on the training period only, from scores each order got from a
classifier that did not learn from its day, so the held-out period judges a threshold it never
influenced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl
from sklearn.ensemble import IsolationForest, RandomForestClassifier
from sklearn.model_selection import GroupKFold

from ecap_pipeline.ml.fraud_config import FraudRulesConfig
from ecap_pipeline.ml.fraud_inputs import ANOMALY_FEATURES, classifier_features, matrix
from ecap_pipeline.ml.fraud_split import split_by_time
from ecap_pipeline.ml.fraud_threshold import choose_threshold
from ecap_pipeline.ml.registry import TrainingWindow

MODEL_NAME = "fraud"


@dataclass(frozen=True)
class FraudTrainingOptions:
    """How the labelled history is split and how big the ensembles are."""

    holdout_share: float = 0.3
    """The last share of the days is held out for evaluation; the model never sees it."""
    threshold_folds: int = 5
    """The operating threshold is chosen on out-of-fold scores of the training period, by day, in this many folds."""
    target_precision: float = 0.85
    """The threshold catches the most fraud at this out-of-fold precision (bursts counted as incidents);
    above the 0.8 gate, so the held-out period has room to be a little less precise than the folds."""
    anomaly_trees: int = 100
    classifier_trees: int = 300
    min_samples_leaf: int = 2
    """Small, so a pattern seen a few dozen times in training still gets leaves of its own."""
    seed: int = 0


@dataclass(frozen=True)
class TrainedFraudModel:
    """Everything scoring needs: the rules the classifier learned from, both estimators, the threshold."""

    rules: FraudRulesConfig
    anomaly: IsolationForest
    classifier: RandomForestClassifier
    threshold: float
    """Orders whose risk score is at least this become alerts."""
    features: tuple[str, ...]
    window: TrainingWindow
    validation_precision: float
    """Precision of the out-of-fold training scores at the threshold, bursts reviewed as incidents."""
    validation_recall: float


def label_orders(inputs: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    """`inputs` with `is_fraud` and the fraud `pattern` (null for legitimate orders) from ground-truth labels."""
    truth = labels.select("order_id", "pattern").unique("order_id")
    return inputs.join(truth, on="order_id", how="left").with_columns(pl.col("pattern").is_not_null().alias("is_fraud"))


def _check_both_classes(frame: pl.DataFrame, period: str, first: dt.date, last: dt.date) -> None:
    frauds = int(frame["is_fraud"].sum())
    if frauds in {0, frame.height}:
        found = "no fraudulent order" if frauds == 0 else "only fraudulent orders"
        msg = (
            f"fraud training: the {period} ({first} .. {last}, {frame.height} orders) has {found}; the classifier "
            "needs both fraudulent and legitimate orders there. Widen the date range (ECAP_START_DATE / "
            "ECAP_END_DATE) or change the injected fraud rate (ECAP_FRAUD_RATE)"
        )
        raise ValueError(msg)


def _classifier(options: FraudTrainingOptions) -> RandomForestClassifier:
    """A random forest: with a few dozen fraud examples its averaged votes rank orders better than boosting
    (chosen on out-of-fold training scores) and change smoothly, so a threshold chosen on folds carries over."""
    return RandomForestClassifier(
        n_estimators=options.classifier_trees,
        min_samples_leaf=options.min_samples_leaf,
        random_state=options.seed,
        n_jobs=1,
    )


def with_anomaly_score(inputs: pl.DataFrame, anomaly: IsolationForest) -> pl.DataFrame:
    """`inputs` with `anomaly_score`: higher is more unusual (the negated IsolationForest score)."""
    if inputs.is_empty():
        return inputs.with_columns(pl.lit(None, dtype=pl.Float64).alias("anomaly_score"))
    scores = -anomaly.score_samples(matrix(inputs, ANOMALY_FEATURES))
    return inputs.with_columns(pl.Series("anomaly_score", scores, dtype=pl.Float64))


def train_fraud_model(
    inputs: pl.DataFrame,
    labels: pl.DataFrame,
    *,
    rules: FraudRulesConfig,
    options: FraudTrainingOptions = FraudTrainingOptions(),
) -> TrainedFraudModel:
    """Fit the anomaly score and the classifier on the training period of `inputs`.

    `inputs` come from `model_inputs(transactions, rules)`; `labels` are the ground-truth fraud
    labels (order_id, pattern), orders without one are legitimate. Raises a ValueError naming the
    period and the setting to change when the range is too short to split or the training period
    lacks one of the classes.
    """
    split = split_by_time(label_orders(inputs, labels), options.holdout_share)
    window = split.window
    _check_both_classes(split.train, "training period", window.train_start, window.train_end)
    anomaly = IsolationForest(n_estimators=options.anomaly_trees, random_state=options.seed)
    anomaly.fit(matrix(split.train, ANOMALY_FEATURES))
    train = with_anomaly_score(split.train, anomaly)
    features = classifier_features(rules)
    x, y = matrix(train, features), train["is_fraud"].to_numpy()
    out_of_fold = _out_of_fold_scores(train, x, y, options)
    classifier = _classifier(options).fit(x, y)
    choice = choose_threshold(train, out_of_fold, y, rules, target_precision=options.target_precision)
    return TrainedFraudModel(
        rules=rules,
        anomaly=anomaly,
        classifier=classifier,
        threshold=choice.threshold,
        features=features,
        window=window,
        validation_precision=choice.precision,
        validation_recall=choice.recall,
    )


def _out_of_fold_scores(
    train: pl.DataFrame, x: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], options: FraudTrainingOptions
) -> npt.NDArray[np.float64]:
    """Each training order's score from a classifier fitted on the other days' orders.

    Whole days go to one fold, so a burst is never split between the fitted and the scored part.
    """
    days = train["ordered_at"].dt.date().to_numpy()
    scores = np.empty(len(y), dtype=np.float64)
    folds = GroupKFold(n_splits=min(options.threshold_folds, len(set(days))))
    for fit_rows, scored_rows in folds.split(x, y, groups=days):
        if not y[fit_rows].any():
            msg = (
                f"fraud training: every fraudulent order of the training period falls on the days "
                f"{', '.join(str(day) for day in sorted(set(days[scored_rows])))}, so the operating "
                "threshold cannot be chosen on orders the classifier did not learn from. Widen the date range "
                "(ECAP_START_DATE / ECAP_END_DATE) or change the injected fraud rate (ECAP_FRAUD_RATE)"
            )
            raise ValueError(msg)
        fold = _classifier(options).fit(x[fit_rows], y[fit_rows])
        scores[scored_rows] = fold.predict_proba(x[scored_rows])[:, 1]
    return scores
