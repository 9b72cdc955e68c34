"""Discounted CLV: purchases times spend times margin, month by month, discounted at the monthly equivalent rate."""

from __future__ import annotations

import numpy as np
import pytest

from ecap_pipeline.ml.clv import (
    DAYS_PER_MONTH,
    BgNbdParams,
    GammaGammaParams,
    discounted_clv,
    expected_average_order_value,
    expected_purchases,
)

WEEKS_PER_MONTH = DAYS_PER_MONTH / 7
FREQUENCY = np.array([0, 1, 4, 12, 3])
RECENCY_WEEKS = np.array([0.0, 5.0, 30.0, 37.0, 2.0])
T_WEEKS = np.full(5, 38.0)
SPEND = np.array([0.0, 20.0, 35.0, 50.0, 15.0])


def _clv(
    bgnbd: BgNbdParams,
    spend: GammaGammaParams,
    *,
    margin: float = 0.3,
    annual_discount_rate: float = 0.1,
    months: int = 12,
    month_length: float = WEEKS_PER_MONTH,
) -> np.ndarray:
    """The CLV of the five customers above, with their history in weeks."""
    return discounted_clv(
        bgnbd,
        spend,
        frequency=FREQUENCY,
        recency=RECENCY_WEEKS,
        T=T_WEEKS,
        monetary_value=SPEND,
        margin=margin,
        annual_discount_rate=annual_discount_rate,
        months=months,
        month_length=month_length,
    )


def test_undiscounted_clv_is_margin_times_spend_times_purchases_over_the_horizon(
    cdnow_bgnbd: BgNbdParams, cdnow_gamma_gamma: GammaGammaParams
) -> None:
    horizon = 12 * WEEKS_PER_MONTH
    purchases = expected_purchases(cdnow_bgnbd, horizon, FREQUENCY, RECENCY_WEEKS, T_WEEKS)
    spend = expected_average_order_value(cdnow_gamma_gamma, FREQUENCY, SPEND)
    undiscounted = _clv(cdnow_bgnbd, cdnow_gamma_gamma, annual_discount_rate=0.0)
    np.testing.assert_allclose(undiscounted, 0.3 * spend * purchases, rtol=1e-12)


def test_one_month_is_discounted_by_the_monthly_equivalent_of_the_annual_rate(
    cdnow_bgnbd: BgNbdParams, cdnow_gamma_gamma: GammaGammaParams
) -> None:
    one_month = _clv(cdnow_bgnbd, cdnow_gamma_gamma, months=1)
    undiscounted = _clv(cdnow_bgnbd, cdnow_gamma_gamma, months=1, annual_discount_rate=0.0)
    np.testing.assert_allclose(one_month, undiscounted / 1.1 ** (1 / 12), rtol=1e-12)


def test_clv_falls_as_the_discount_rate_rises(cdnow_bgnbd: BgNbdParams, cdnow_gamma_gamma: GammaGammaParams) -> None:
    by_rate = np.vstack(
        [_clv(cdnow_bgnbd, cdnow_gamma_gamma, annual_discount_rate=rate) for rate in (0, 0.05, 0.1, 0.5)]
    )
    assert np.all(by_rate > 0)
    assert np.all(np.diff(by_rate, axis=0) < 0)


def test_clv_grows_with_the_horizon_and_scales_with_the_margin(
    cdnow_bgnbd: BgNbdParams, cdnow_gamma_gamma: GammaGammaParams
) -> None:
    by_months = np.vstack([_clv(cdnow_bgnbd, cdnow_gamma_gamma, months=months) for months in (1, 6, 12, 36)])
    assert np.all(np.diff(by_months, axis=0) > 0)
    np.testing.assert_allclose(
        _clv(cdnow_bgnbd, cdnow_gamma_gamma, margin=0.6), 2 * _clv(cdnow_bgnbd, cdnow_gamma_gamma), rtol=1e-12
    )
    assert np.all(_clv(cdnow_bgnbd, cdnow_gamma_gamma, margin=0.0) == 0.0)


def test_month_length_follows_the_models_time_unit(
    cdnow_bgnbd: BgNbdParams, cdnow_gamma_gamma: GammaGammaParams
) -> None:
    """The same customers in days, with alpha in days, have the same CLV with the default month in days."""
    in_days = BgNbdParams(r=cdnow_bgnbd.r, alpha=cdnow_bgnbd.alpha * 7, a=cdnow_bgnbd.a, b=cdnow_bgnbd.b)
    value_in_days = discounted_clv(
        in_days,
        cdnow_gamma_gamma,
        frequency=FREQUENCY,
        recency=RECENCY_WEEKS * 7,
        T=T_WEEKS * 7,
        monetary_value=SPEND,
        margin=0.3,
        annual_discount_rate=0.1,
    )
    np.testing.assert_allclose(value_in_days, _clv(cdnow_bgnbd, cdnow_gamma_gamma), rtol=1e-9)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("margin", 1.5, r"margin must be a share of revenue in \[0, 1\]"),
        ("margin", -0.1, r"margin must be a share of revenue in \[0, 1\]"),
        ("annual_discount_rate", -0.05, "annual_discount_rate must be a finite number >= 0"),
        ("annual_discount_rate", float("nan"), "annual_discount_rate must be a finite number >= 0"),
        ("months", 0, "months must be >= 1"),
        ("month_length", 0.0, "month_length must be a finite number > 0"),
    ],
)
def test_bad_clv_options_raise_naming_the_option(
    cdnow_bgnbd: BgNbdParams, cdnow_gamma_gamma: GammaGammaParams, option: str, value: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _clv(cdnow_bgnbd, cdnow_gamma_gamma, **{option: value})


def test_spend_of_another_length_than_the_purchase_history_raises(
    cdnow_bgnbd: BgNbdParams, cdnow_gamma_gamma: GammaGammaParams
) -> None:
    with pytest.raises(ValueError, match="arrays of different lengths: frequency=5, monetary_value=2"):
        discounted_clv(
            cdnow_bgnbd,
            cdnow_gamma_gamma,
            frequency=FREQUENCY,
            recency=RECENCY_WEEKS,
            T=T_WEEKS,
            monetary_value=SPEND[:2],
            margin=0.3,
            annual_discount_rate=0.1,
        )
