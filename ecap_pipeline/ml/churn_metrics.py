"""How well churn probabilities rank and fit observed labels, and how they agree with the true dropout.

Accuracy says little when most customers of a shop churn, so the model is judged on ranking
(ROC-AUC, PR-AUC, lift of the top-scored decile) and on calibration (Brier score). A label set of
one class has no ranking to judge: that raises, naming the period, rather than report a made-up AUC.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import numpy.typing as npt
import polars as pl
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from ecap_pipeline.ml.churn_history import ChurnDataError

TOP_SHARE = 0.10
"""The top decile: lift is the churn rate among the 10% highest scores over the overall rate."""


def classification_metrics(labels: npt.ArrayLike, probabilities: npt.ArrayLike, *, period: str) -> dict[str, float]:
    """ROC-AUC, PR-AUC (average precision), Brier score and top-decile lift of `probabilities`."""
    y = np.asarray(labels, dtype=np.int64)
    p = np.asarray(probabilities, dtype=np.float64)
    require_both_classes(y, period=period)
    top = max(math.ceil(TOP_SHARE * y.size), 1)
    ranked = y[np.argsort(-p, kind="stable")]
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "top_decile_lift": float(ranked[:top].mean() / y.mean()),
    }


def require_both_classes(labels: npt.NDArray[np.int64], *, period: str) -> None:
    """Raise unless `labels` hold churners and non-churners, saying which is missing and why it matters."""
    churners = int(labels.sum())
    if labels.size == 0:
        msg = f"no customers to learn from or judge in the {period}: nobody had ordered before its cutoff"
        raise ChurnDataError(msg)
    if churners in (0, labels.size):
        missing = "no churners" if churners == 0 else "no customer who came back"
        msg = (
            f"{missing} in the {period}: all {labels.size} customers have the same label, so churn cannot be "
            f"learned or judged there; use a longer date range or a different ECAP_CHURN_HORIZON_DAYS"
        )
        raise ChurnDataError(msg)


def true_dropout(lifetimes: pl.DataFrame, customer_ids: pl.Series, cutoff: dt.date, horizon_days: int) -> pl.DataFrame:
    """`customer_id` and `truly_gone` (0/1) for each customer the generator's ground truth knows.

    A customer is truly gone when their latent lifetime ended before the label window did, i.e.
    `dropout_at` < midnight starting cutoff+H: from then on they can never order again, whatever the
    window showed. Customers absent from the ground truth (e.g. landed from real exports) are left out.
    """
    window_end = dt.datetime.combine(cutoff + dt.timedelta(days=horizon_days), dt.time(), tzinfo=dt.UTC)
    known = lifetimes.select("customer_id", "dropout_at").unique("customer_id")
    return (
        pl.DataFrame({"customer_id": customer_ids})
        .join(known, on="customer_id", how="inner")
        .select("customer_id", truly_gone=(pl.col("dropout_at") < window_end).cast(pl.Int8))
    )
