"""One churn training run: split in time, fit at the training cutoff, judge at the evaluation cutoff.

The figures reported are those of the stored artifact on a period it never saw (see `churn_split`):
the same fitted model is judged at the evaluation cutoff and later scores the latest day. The
quality gates decide whether the registry promotes it; they are fixed here, never tuned to pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ecap_pipeline.ml.churn_features import FEATURES
from ecap_pipeline.ml.churn_history import ChurnDataError, ChurnHistory
from ecap_pipeline.ml.churn_metrics import classification_metrics, true_dropout
from ecap_pipeline.ml.churn_model import ChurnDataset, TrainedChurn, churn_dataset, train_churn
from ecap_pipeline.ml.churn_scoring import RISK_BANDS
from ecap_pipeline.ml.churn_split import ChurnSplit, churn_split
from ecap_pipeline.ml.registry import ModelCard, QualityGate

CHURN_MODEL = "churn"
MIN_ROC_AUC = 0.80
MIN_ROC_AUC_OVER_BASELINE = 0.03


@dataclass(frozen=True)
class ChurnTrainingRun:
    """What a training run hands the registry: the fitted models, the split, metrics, gates and card."""

    trained: TrainedChurn
    split: ChurnSplit
    metrics: dict[str, float]
    gates: tuple[QualityGate, ...]
    card: ModelCard


def run_churn_training(
    history: ChurnHistory, *, horizon_days: int, lifetimes: pl.DataFrame | None = None
) -> ChurnTrainingRun:
    """Split `history` in time, train, evaluate (against `lifetimes`' true dropout too, when given)."""
    first_day = history.first_day
    if first_day is None:
        msg = "churn has nothing to learn from: there are no orders and no sessions in the warehouse"
        raise ChurnDataError(msg)
    split = churn_split(first_day, history.observed_until, horizon_days)
    train = churn_dataset(history, split.train_cutoff, horizon_days)
    trained = train_churn(train, horizon_days=horizon_days)
    evaluation = churn_dataset(history, split.evaluation_cutoff, horizon_days)
    metrics = {
        "train_customers": float(train.size),
        "train_churn_rate": float(train.labels.mean()),
        **evaluate_churn(trained, evaluation, lifetimes=lifetimes),
    }
    return ChurnTrainingRun(trained, split, metrics, tuple(churn_gates(metrics)), churn_card(split))


def evaluate_churn(
    trained: TrainedChurn, evaluation: ChurnDataset, *, lifetimes: pl.DataFrame | None = None
) -> dict[str, float]:
    """Model and baseline metrics on `evaluation`, and their agreement with the true dropout if known."""
    period = f"evaluation window (cutoff {evaluation.cutoff}, {trained.horizon_days}-day horizon)"
    model = trained.predict(evaluation.features)
    baseline = trained.predict_baseline(evaluation.features)
    metrics = {
        "evaluation_customers": float(evaluation.size),
        "evaluation_churn_rate": float(evaluation.labels.mean()) if evaluation.size else 0.0,
    }
    for name, scores in (("model", model), ("baseline", baseline)):
        judged = classification_metrics(evaluation.labels, scores, period=period)
        metrics |= {f"{name}_{metric}": value for metric, value in judged.items()}
    if lifetimes is not None:
        metrics |= _truth_agreement(evaluation, model, baseline, lifetimes, trained.horizon_days)
    return metrics


def churn_gates(metrics: dict[str, float]) -> list[QualityGate]:
    """ROC-AUC on the time holdout >= 0.80, and at least 0.03 above the recency baseline's."""
    return [
        QualityGate.at_least("model_roc_auc", metrics["model_roc_auc"], MIN_ROC_AUC),
        QualityGate.at_least(
            "model_roc_auc_over_baseline",
            metrics["model_roc_auc"] - metrics["baseline_roc_auc"],
            MIN_ROC_AUC_OVER_BASELINE,
        ),
    ]


def churn_card(split: ChurnSplit) -> ModelCard:
    """The model card's prose: what is predicted, how, and where it should not be trusted."""
    bands = ", ".join(f"{name} >= {lower:g}" for name, lower in RISK_BANDS)
    return ModelCard(
        title="Customer churn",
        purpose=(
            f"The probability that a customer who has ordered before places no order in the next "
            f"{split.horizon_days} days. `churn_scores` holds it for every customer who had ordered by the "
            f"latest day, with a risk band ({bands}) and the features raising their risk most."
        ),
        method=(
            f"Point-in-time features ({len(FEATURES)}: recency, frequency, monetary, 30/90-day order and session "
            f"trends, engagement, returns, tenure, behaviour segment, acquisition channel) computed only from rows "
            f"dated before the cutoff. HistGradientBoostingClassifier trained at cutoff {split.train_cutoff} "
            f"(labels {split.train_cutoff} + {split.horizon_days} days), judged at cutoff {split.evaluation_cutoff}, "
            f"whose label window starts where the training labels end. Baseline: logistic regression on recency "
            f"alone. Top features: per-customer change in log-odds when one feature is set to the training "
            f"population's typical value."
        ),
        limitations=(
            "Trained on a synthetic shop. One training cutoff only, so the model has seen one season. The "
            "true-dropout agreement uses the generator's hidden lifetimes (dropout before the end of the label "
            "window) and leaves out customers the generator does not know. Attribution ignores feature "
            "interactions."
        ),
    )


def _truth_agreement(
    evaluation: ChurnDataset,
    model: np.ndarray,
    baseline: np.ndarray,
    lifetimes: pl.DataFrame,
    horizon_days: int,
) -> dict[str, float]:
    truth = true_dropout(lifetimes, evaluation.customer_ids, evaluation.cutoff, horizon_days)
    judged = pl.DataFrame(
        {"customer_id": evaluation.customer_ids, "label": evaluation.labels, "model": model, "baseline": baseline}
    ).join(truth, on="customer_id", how="inner")
    if judged.is_empty():
        return {"truth_customers": 0.0}
    gone = judged["truly_gone"].to_numpy().astype(np.int64)
    agreement = {
        "truth_customers": float(judged.height),
        "truth_dropout_rate": float(gone.mean()),
        "label_truth_agreement": float((judged["label"].to_numpy() == gone).mean()),
    }
    if 0 < gone.sum() < gone.size:
        for name in ("model", "baseline"):
            scores = judged[name].to_numpy()
            agreement[f"{name}_roc_auc_vs_true_dropout"] = classification_metrics(gone, scores, period="truth")[
                "roc_auc"
            ]
    return agreement
