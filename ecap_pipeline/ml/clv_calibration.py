"""Calibration against a holdout period: does the fitted BG/NBD predict what customers went on to buy?

Fader, Hardie & Lee check their fit this way (their figure 4): group the customers by how many
repeat purchases they made in the calibration period and compare, per group, the mean number of
purchases the model expects in the holdout with the mean they actually made.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ecap_pipeline.ml.bgnbd import BgNbdParams, expected_purchases
from ecap_pipeline.ml.clv_inputs import as_float_array, as_non_negative_scalar, fail_where


def calibration_by_frequency(
    params: BgNbdParams,
    summary: pl.DataFrame,
    *,
    holdout_length: float,
    max_frequency: int = 7,
) -> pl.DataFrame:
    """Predicted and actual holdout purchases per calibration-frequency bucket.

    `summary` has one row per customer with `frequency`, `recency`, `T` (calibration period) and
    `holdout_frequency` (purchases in the `holdout_length` after it), as `calibration_holdout_summary`
    or `simulate_bgnbd` give it. Buckets are 0, 1, ..., max_frequency - 1 and `<max_frequency>+`;
    empty buckets are left out. Columns: `frequency_bucket`, `min_frequency` (for ordering),
    `customers`, `mean_actual_purchases`, `mean_predicted_purchases`.
    """
    if max_frequency < 1:
        msg = f"max_frequency must be >= 1, got {max_frequency}"
        raise ValueError(msg)
    missing = [c for c in ("frequency", "recency", "T", "holdout_frequency") if c not in summary.columns]
    if missing:
        msg = f"summary has no column(s) {missing}; its columns are {summary.columns}"
        raise ValueError(msg)
    actual = as_float_array("holdout_frequency", summary["holdout_frequency"])
    fail_where("holdout_frequency", actual < 0, actual, "must be >= 0")
    predicted = expected_purchases(
        params,
        as_non_negative_scalar("holdout_length", holdout_length),
        summary["frequency"],
        summary["recency"],
        summary["T"],
    )
    bucket = np.minimum(summary["frequency"].to_numpy(), max_frequency)
    return (
        pl.DataFrame({"min_frequency": bucket, "actual": actual, "predicted": predicted})
        .group_by("min_frequency")
        .agg(
            pl.len().cast(pl.Int64).alias("customers"),
            pl.col("actual").mean().alias("mean_actual_purchases"),
            pl.col("predicted").mean().alias("mean_predicted_purchases"),
        )
        .sort("min_frequency")
        .select(
            pl.when(pl.col("min_frequency") == max_frequency)
            .then(pl.format("{}+", pl.col("min_frequency")))
            .otherwise(pl.col("min_frequency").cast(pl.String))
            .alias("frequency_bucket"),
            pl.col("min_frequency").cast(pl.Int64),
            "customers",
            "mean_actual_purchases",
            "mean_predicted_purchases",
        )
    )
