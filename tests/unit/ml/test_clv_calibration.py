"""Holdout calibration: predicted against actual purchases per calibration-frequency bucket."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.ml.clv import BgNbdParams, calibration_by_frequency, expected_purchases, simulate_bgnbd

SUMMARY = pl.DataFrame(
    {
        "frequency": [0, 0, 1, 2, 3, 9],
        "recency": [0.0, 0.0, 4.0, 20.0, 30.0, 37.0],
        "T": [38.0, 30.0, 38.0, 38.0, 38.0, 38.0],
        "holdout_frequency": [0, 1, 0, 2, 1, 5],
    }
)


def test_buckets_pool_the_heavy_buyers_and_average_actual_and_predicted(cdnow_bgnbd: BgNbdParams) -> None:
    table = calibration_by_frequency(cdnow_bgnbd, SUMMARY, holdout_length=39.0, max_frequency=3)
    predicted = expected_purchases(cdnow_bgnbd, 39.0, SUMMARY["frequency"], SUMMARY["recency"], SUMMARY["T"])
    assert table.columns == [
        "frequency_bucket",
        "min_frequency",
        "customers",
        "mean_actual_purchases",
        "mean_predicted_purchases",
    ]
    assert table["frequency_bucket"].to_list() == ["0", "1", "2", "3+"]
    assert table["min_frequency"].to_list() == [0, 1, 2, 3]
    assert table["customers"].to_list() == [2, 1, 1, 2]
    assert table["mean_actual_purchases"].to_list() == [0.5, 0.0, 2.0, 3.0]
    np.testing.assert_allclose(
        table["mean_predicted_purchases"].to_numpy(),
        [predicted[:2].mean(), predicted[2], predicted[3], predicted[4:].mean()],
        rtol=1e-12,
    )


def test_a_true_model_is_calibrated_in_every_bucket(cdnow_bgnbd: BgNbdParams) -> None:
    """Customers simulated from the model: each bucket's gap stays within four standard errors of its actual mean."""
    simulated = simulate_bgnbd(cdnow_bgnbd, 300_000, 38.0, np.random.default_rng(21), holdout=39.0)
    table = calibration_by_frequency(cdnow_bgnbd, simulated, holdout_length=39.0)
    spread = (
        simulated.with_columns(min_frequency=pl.col("frequency").clip(upper_bound=7))
        .group_by("min_frequency")
        .agg((pl.col("holdout_frequency").std() / pl.len().sqrt()).alias("standard_error"))
    )
    checked = table.join(spread, on="min_frequency", maintain_order="left")
    assert checked["frequency_bucket"].to_list() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    gap = (checked["mean_actual_purchases"] - checked["mean_predicted_purchases"]).abs()
    assert (gap < 4 * checked["standard_error"]).all(), checked


@pytest.mark.parametrize(
    ("summary", "holdout_length", "max_frequency", "message"),
    [
        (SUMMARY.drop("holdout_frequency"), 39.0, 7, r"summary has no column\(s\) \['holdout_frequency'\]"),
        (SUMMARY.with_columns(holdout_frequency=-1), 39.0, 7, "holdout_frequency must be >= 0"),
        (SUMMARY, -1.0, 7, "holdout_length must be a finite number >= 0"),
        (SUMMARY, 39.0, 0, "max_frequency must be >= 1"),
    ],
)
def test_bad_calibration_inputs_raise_naming_the_argument(
    cdnow_bgnbd: BgNbdParams, summary: pl.DataFrame, holdout_length: float, max_frequency: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        calibration_by_frequency(cdnow_bgnbd, summary, holdout_length=holdout_length, max_frequency=max_frequency)
