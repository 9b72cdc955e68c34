"""Every bad customer summary or option raises a ValueError that names the argument and the rule it breaks."""

from __future__ import annotations

import numpy as np
import pytest

from ecap_pipeline.ml.clv import (
    BgNbdParams,
    expected_purchases,
    fit_bgnbd,
    probability_alive,
    simulate_bgnbd,
)

NAN = float("nan")
BAD_SUMMARIES = [
    pytest.param(
        [1, -1], [2.0, 0.0], [5.0, 5.0], r"frequency must be >= 0.*first at index 1: -1", id="negative frequency"
    ),
    pytest.param([1, 1.5], [2.0, 3.0], [5.0, 5.0], "frequency must be a whole number", id="fractional frequency"),
    pytest.param([1, 2], [2.0, -3.0], [5.0, 5.0], "recency must be >= 0", id="negative recency"),
    pytest.param([1, 0], [2.0, 0.0], [5.0, -1.0], "T must be >= 0", id="negative T"),
    pytest.param([1, 2], [2.0, 6.0], [5.0, 5.0], r"recency must be <= T.*first at index 1: 6", id="recency after T"),
    pytest.param(
        [1, 0], [2.0, 1.0], [5.0, 5.0], "recency must be 0 where frequency is 0", id="recency without repeats"
    ),
    pytest.param([1, 2], [2.0, 3.0], [5.0], "arrays of different lengths: frequency=2, recency=2, T=1", id="lengths"),
    pytest.param([], [], [], "frequency is empty", id="empty"),
    pytest.param(
        [1, NAN], [2.0, 3.0], [5.0, 5.0], r"frequency must be finite \(no NaN or infinity\)", id="NaN frequency"
    ),
    pytest.param([1, 2], [2.0, NAN], [5.0, 5.0], "recency must be finite", id="NaN recency"),
    pytest.param([1, 2], [2.0, 3.0], [5.0, float("inf")], "T must be finite", id="infinite T"),
    pytest.param([[1, 2]], [[2.0, 3.0]], [[5.0, 5.0]], "frequency must be one-dimensional", id="two-dimensional"),
]


@pytest.mark.parametrize(("frequency", "recency", "horizon", "message"), BAD_SUMMARIES)
def test_fit_rejects_a_bad_summary(
    frequency: list[float], recency: list[float], horizon: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        fit_bgnbd(frequency, recency, horizon)


@pytest.mark.parametrize(("frequency", "recency", "horizon", "message"), BAD_SUMMARIES)
def test_predictions_reject_a_bad_summary(
    cdnow_bgnbd: BgNbdParams, frequency: list[float], recency: list[float], horizon: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        probability_alive(cdnow_bgnbd, frequency, recency, horizon)
    with pytest.raises(ValueError, match=message):
        expected_purchases(cdnow_bgnbd, 10.0, frequency, recency, horizon)


def test_fit_needs_at_least_one_repeat_purchase() -> None:
    with pytest.raises(ValueError, match="frequency has no value > 0: the BG/NBD cannot be fitted"):
        fit_bgnbd([0, 0, 0], [0.0, 0.0, 0.0], [10.0, 20.0, 30.0])


@pytest.mark.parametrize("t", [-1.0, NAN, float("inf")])
def test_prediction_horizon_must_be_finite_and_not_negative(cdnow_bgnbd: BgNbdParams, t: float) -> None:
    with pytest.raises(ValueError, match="t must be a finite number >= 0"):
        expected_purchases(cdnow_bgnbd, t, [1], [2.0], [5.0])


def test_a_single_customer_may_be_given_as_scalars(cdnow_bgnbd: BgNbdParams) -> None:
    assert expected_purchases(cdnow_bgnbd, 10.0, 1, 2.0, 5.0).shape == (1,)


@pytest.mark.parametrize(
    ("n_customers", "horizon", "holdout", "message"),
    [
        (0, 10.0, 0.0, "n_customers must be >= 1"),
        (3, 0.0, 0.0, "T must be > 0"),
        (3, [10.0, 5.0], 0.0, r"T must be one length for everyone or one per customer \(3\), got 2 values"),
        (3, 10.0, -1.0, "holdout must be a finite number >= 0"),
    ],
)
def test_simulation_rejects_bad_arguments(
    cdnow_bgnbd: BgNbdParams, n_customers: int, horizon: float | list[float], holdout: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        simulate_bgnbd(cdnow_bgnbd, n_customers, horizon, np.random.default_rng(0), holdout=holdout)
