"""The BG/NBD's conditional expectation against what simulated customers with the same history went on to buy.

Customers are simulated over a calibration period T and a holdout t that follows it. For any group
selected on what was observable at T (here: a frequency and a window of recency), the mean of
E[X(t) | x, t_x, T] over the group is exactly the expected mean of their holdout purchases, so the
two differ only by Monte-Carlo noise. The tolerance is four standard errors of the group's mean
holdout count (a false alarm about once in 16,000 seeds), and the simulation is seeded.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.ml.clv import BgNbdParams, expected_purchases, simulate_bgnbd

CALIBRATION_WEEKS = 38.0
HOLDOUT_WEEKS = 39.0


@pytest.fixture(scope="module")
def simulated(cdnow_bgnbd: BgNbdParams) -> pl.DataFrame:
    return simulate_bgnbd(cdnow_bgnbd, 500_000, CALIBRATION_WEEKS, np.random.default_rng(7), holdout=HOLDOUT_WEEKS)


@pytest.mark.parametrize(
    ("frequency", "recency_from", "recency_to"),
    [(0, 0.0, 0.0), (2, 20.0, 30.0), (5, 30.0, 38.0), (3, 0.0, 10.0)],
    ids=["no repeat", "two repeats mid-period", "five repeats recently", "three repeats long ago"],
)
def test_expected_purchases_match_simulated_holdout_purchases(
    cdnow_bgnbd: BgNbdParams, simulated: pl.DataFrame, frequency: int, recency_from: float, recency_to: float
) -> None:
    group = simulated.filter(
        (pl.col("frequency") == frequency) & pl.col("recency").is_between(recency_from, recency_to)
    )
    assert group.height > 3_000
    predicted = expected_purchases(cdnow_bgnbd, HOLDOUT_WEEKS, group["frequency"], group["recency"], group["T"])
    actual = group["holdout_frequency"].to_numpy()
    standard_error = actual.std(ddof=1) / np.sqrt(actual.size)
    assert abs(actual.mean() - predicted.mean()) < 4 * standard_error


def test_simulated_customers_follow_the_summary_definitions(simulated: pl.DataFrame) -> None:
    frequency, recency, horizon = simulated["frequency"], simulated["recency"], simulated["T"]
    assert (frequency >= 0).all()
    assert (simulated["holdout_frequency"] >= 0).all()
    assert ((recency >= 0) & (recency <= horizon)).all()
    assert (recency.filter(frequency == 0) == 0).all()
    assert (recency.filter(frequency > 0) > 0).all()
    assert (horizon == CALIBRATION_WEEKS).all()


def test_simulation_is_reproducible_from_the_seed(cdnow_bgnbd: BgNbdParams) -> None:
    def draw(seed: int) -> pl.DataFrame:
        return simulate_bgnbd(cdnow_bgnbd, 1_000, [10.0, 20.0] * 500, np.random.default_rng(seed), holdout=5.0)

    assert draw(1).equals(draw(1))
    assert not draw(1).equals(draw(2))
    assert draw(1)["T"].to_list() == [10.0, 20.0] * 500
