"""The Gamma-Gamma spend model against independent integrals over the customer's spend rate, and its fit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from scipy import integrate, stats

from ecap_pipeline.ml.clv import (
    GammaGammaParams,
    expected_average_order_value,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
    simulate_gamma_gamma,
)

PROFILES = [(1, 12.0), (2, 30.0), (5, 41.5), (40, 18.25)]


def _over_spend_rate(params: GammaGammaParams, x: int, m: float, weight: Callable[[float], float]) -> float:
    """The integral over nu ~ Gamma(q, v) of weight(nu) times the density of the mean m of x Gamma(p, nu) values.

    The mean of x independent Gamma(p, nu) values is Gamma(p x, x nu): no closed form of the
    mixture is used, so this checks the model's marginal density independently.
    """

    def integrand(nu: float) -> float:
        mean_density = stats.gamma.pdf(m, a=params.p * x, scale=1.0 / (x * nu))
        return weight(nu) * mean_density * stats.gamma.pdf(nu, a=params.q, scale=1.0 / params.v)

    value, _ = integrate.quad(integrand, 0.0, np.inf, epsabs=0.0, epsrel=1e-11, limit=200)
    return value


@pytest.mark.parametrize(("x", "m"), PROFILES)
def test_log_likelihood_matches_the_integral_over_the_spend_rate(
    cdnow_gamma_gamma: GammaGammaParams, x: int, m: float
) -> None:
    closed_form = gamma_gamma_log_likelihood(cdnow_gamma_gamma, [x], [m])[0]
    assert closed_form == pytest.approx(np.log(_over_spend_rate(cdnow_gamma_gamma, x, m, lambda _: 1.0)), rel=1e-8)


@pytest.mark.parametrize(("x", "m"), PROFILES)
def test_expected_order_value_is_the_posterior_mean_of_p_over_nu(
    cdnow_gamma_gamma: GammaGammaParams, x: int, m: float
) -> None:
    p = cdnow_gamma_gamma.p
    posterior_mean = _over_spend_rate(cdnow_gamma_gamma, x, m, lambda nu: p / nu) / _over_spend_rate(
        cdnow_gamma_gamma, x, m, lambda _: 1.0
    )
    assert expected_average_order_value(cdnow_gamma_gamma, [x], [m])[0] == pytest.approx(posterior_mean, rel=1e-8)


def test_expected_order_value_weighs_the_population_mean_against_the_customers_own(
    cdnow_gamma_gamma: GammaGammaParams,
) -> None:
    population_mean = 6.25 * 15.44 / (3.74 - 1)
    values = expected_average_order_value(cdnow_gamma_gamma, [0, 2, 20, 2000], [0.0, 30.0, 30.0, 30.0])
    assert values[0] == pytest.approx(population_mean)
    assert values[1] == pytest.approx((15.44 + 30.0 * 2) * 6.25 / (6.25 * 2 + 3.74 - 1))
    assert 30.0 < values[3] < values[2] < values[1] < population_mean
    assert values[3] == pytest.approx(30.0, rel=1e-3)


def test_expected_order_value_needs_q_above_one_for_customers_without_repeats() -> None:
    heavy_tailed = GammaGammaParams(p=2.0, q=0.8, v=10.0)
    assert expected_average_order_value(heavy_tailed, [1, 3], [20.0, 25.0]).shape == (2,)
    with pytest.raises(ValueError, match=r"p \* frequency \+ q > 1.*frequency=0"):
        expected_average_order_value(heavy_tailed, [0, 3], [0.0, 25.0])


def test_fit_recovers_the_cdnow_parameters_within_ten_percent(cdnow_gamma_gamma: GammaGammaParams) -> None:
    """120,000 repeat customers, most with one or two repeats, which is where p is identified.

    The largest standard error, v's, is about 2.4% at this size, so 10% is four standard errors.
    """
    rng = np.random.default_rng(5)
    frequency = rng.geometric(0.3, 120_000)
    fitted = fit_gamma_gamma(frequency, simulate_gamma_gamma(cdnow_gamma_gamma, frequency, rng))
    assert fitted.fit is not None
    assert fitted.fit.converged, fitted.fit.message
    for name in ("p", "q", "v"):
        assert getattr(fitted, name) == pytest.approx(getattr(cdnow_gamma_gamma, name), rel=0.10), name


def test_fit_ignores_customers_without_repeat_purchases(cdnow_gamma_gamma: GammaGammaParams) -> None:
    rng = np.random.default_rng(6)
    frequency = rng.geometric(0.3, 2_000)
    spend = simulate_gamma_gamma(cdnow_gamma_gamma, frequency, rng)
    with_newcomers = fit_gamma_gamma(np.concatenate([frequency, [0, 0, 0]]), np.concatenate([spend, [0.0, 0.0, 0.0]]))
    repeat_only = fit_gamma_gamma(frequency, spend)
    assert with_newcomers == repeat_only
    assert with_newcomers.fit is not None
    assert with_newcomers.fit.n_customers == 2_000
    assert with_newcomers.log_likelihood == pytest.approx(
        gamma_gamma_log_likelihood(with_newcomers, frequency, spend).sum(), rel=1e-12
    )


def test_simulated_spend_is_zero_without_repeats_and_positive_with(cdnow_gamma_gamma: GammaGammaParams) -> None:
    spend = simulate_gamma_gamma(cdnow_gamma_gamma, [0, 1, 4, 0], np.random.default_rng(1))
    assert spend[0] == spend[3] == 0.0
    assert np.all(spend[1:3] > 0)


@pytest.mark.parametrize(
    ("frequency", "monetary_value", "message"),
    [
        ([0, 0], [0.0, 0.0], "frequency has no value > 0"),
        ([1, 2], [10.0, 0.0], "monetary_value must be > 0 where frequency > 0.*first at index 1"),
        ([1, 2], [10.0, -5.0], "monetary_value must be >= 0"),
        ([1, 2], [10.0], "arrays of different lengths: frequency=2, monetary_value=1"),
        ([1, -2], [10.0, 5.0], "frequency must be >= 0"),
        ([1, 2.5], [10.0, 5.0], "frequency must be a whole number"),
        ([1, 2], [10.0, float("nan")], "monetary_value must be finite"),
        ([], [], "frequency is empty"),
    ],
)
def test_bad_spend_inputs_raise_naming_the_argument(
    frequency: list[float], monetary_value: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        fit_gamma_gamma(frequency, monetary_value)
