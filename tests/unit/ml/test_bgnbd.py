"""The BG/NBD closed forms against independent integrals, their limits and shapes, and the fit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from scipy import integrate
from scipy.special import betaln, gammaln

from ecap_pipeline.ml.clv import (
    BgNbdParams,
    bgnbd_log_likelihood,
    bgnbd_parameter_recovery,
    expected_purchases,
    fit_bgnbd,
    probability_alive,
    simulate_bgnbd,
)

# (x, t_x, T) in weeks, from a newcomer to a heavy buyer far beyond where the paper's own form of
# the expectation overflows (x = 1000)
PROFILES = [
    (0, 0.0, 38.86),
    (1, 1.71, 38.86),
    (2, 30.43, 38.86),
    (7, 29.43, 38.86),
    (30, 38.0, 39.0),
    (1000, 38.0, 39.0),
]


def _log_rate_moment(params: BgNbdParams, x: int, horizon: float) -> float:
    """ln of the integral over lambda ~ Gamma(r, alpha) of lambda^x e^(-lambda horizon)."""
    r, alpha = params.r, params.alpha
    return gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + horizon)


def _integral_over_dropout(params: BgNbdParams, integrand: Callable[[float], float]) -> float:
    """The integral of integrand(p) against the Beta(a, b) density, by adaptive quadrature."""

    def weighted(p: float) -> float:
        log_density = (params.a - 1) * np.log(p) + (params.b - 1) * np.log1p(-p) - betaln(params.a, params.b)
        return integrand(p) * np.exp(log_density)

    value, _ = integrate.quad(weighted, 0.0, 1.0, epsabs=0.0, epsrel=1e-10, limit=200)
    return value


def _numerical_log_likelihood(params: BgNbdParams, x: int, t_x: float, horizon: float) -> float:
    """ln E[L(lambda, p)] over lambda ~ Gamma(r, alpha) and p ~ Beta(a, b), from the individual likelihood
    L = (1-p)^x lambda^x e^(-lambda T) + [x>0] p (1-p)^(x-1) lambda^x e^(-lambda t_x).

    The lambda integral is the Gamma moment in closed form; the p integral is numerical, so the
    beta functions and the log-sum-exp of the closed form are checked independently.
    """
    alive = _integral_over_dropout(params, lambda p: (1 - p) ** x)
    terms = [np.log(alive) + _log_rate_moment(params, x, horizon)]
    if x > 0:
        dead = _integral_over_dropout(params, lambda p: p * (1 - p) ** (x - 1))
        terms.append(np.log(dead) + _log_rate_moment(params, x, t_x))
    return float(np.logaddexp.reduce(terms))


def _numerical_expected_purchases(params: BgNbdParams, t: float, x: int, t_x: float, horizon: float) -> float:
    """E[purchases in (T, T+t]] = E[(1-p)^x lambda^x e^(-lambda T) (1 - e^(-lambda p t)) / p] / E[L], numerically in p.

    An alive customer with (lambda, p) makes (1 - e^(-lambda p t)) / p purchases on average in the
    next t; weighting by the probability of the data and of being alive gives the posterior mean
    without the hypergeometric function.
    """
    log_likelihood = _numerical_log_likelihood(params, x, t_x, horizon)

    def future(p: float) -> float:
        alive_now = np.exp(_log_rate_moment(params, x, horizon) - log_likelihood)
        alive_later = np.exp(_log_rate_moment(params, x, horizon + p * t) - log_likelihood)
        return (1 - p) ** x * (alive_now - alive_later) / p

    return _integral_over_dropout(params, future)


@pytest.mark.parametrize(("x", "t_x", "horizon"), PROFILES[:-1])
def test_log_likelihood_matches_the_integral_of_the_individual_likelihood(
    cdnow_bgnbd: BgNbdParams, x: int, t_x: float, horizon: float
) -> None:
    closed_form = bgnbd_log_likelihood(cdnow_bgnbd, [x], [t_x], [horizon])[0]
    assert closed_form == pytest.approx(_numerical_log_likelihood(cdnow_bgnbd, x, t_x, horizon), rel=1e-9)


@pytest.mark.parametrize(("x", "t_x", "horizon"), PROFILES)
@pytest.mark.parametrize("params", [None, BgNbdParams(r=2.0, alpha=10.0, a=3.5, b=0.6)])
def test_expected_purchases_match_the_posterior_mean_by_quadrature(
    cdnow_bgnbd: BgNbdParams, params: BgNbdParams | None, x: int, t_x: float, horizon: float
) -> None:
    chosen = params or cdnow_bgnbd
    closed_form = expected_purchases(chosen, 52.0, [x], [t_x], [horizon])[0]
    assert np.isfinite(closed_form)
    assert closed_form == pytest.approx(_numerical_expected_purchases(chosen, 52.0, x, t_x, horizon), rel=1e-7)


def test_probability_alive_is_one_without_repeat_purchases(cdnow_bgnbd: BgNbdParams) -> None:
    alive = probability_alive(cdnow_bgnbd, [0, 0, 0], [0.0, 0.0, 0.0], [0.0, 5.0, 500.0])
    assert alive.tolist() == [1.0, 1.0, 1.0]


def test_probability_alive_falls_the_longer_a_buyer_stays_silent(cdnow_bgnbd: BgNbdParams) -> None:
    horizon = np.array([10.0, 20.0, 40.0, 80.0, 1e6])
    alive = probability_alive(cdnow_bgnbd, np.full(5, 3), np.full(5, 10.0), horizon)
    assert alive[0] == pytest.approx(1 / (1 + 0.79 / (2.43 + 2)))  # bought at T: only the dropout coin
    assert np.all(np.diff(alive) < 0)
    assert 0 <= alive[-1] < 1e-6


def test_expected_purchases_are_zero_at_t_zero_and_grow_with_t(cdnow_bgnbd: BgNbdParams) -> None:
    frequency, recency, horizon = [0, 1, 4, 12], [0.0, 5.0, 30.0, 37.0], [38.0, 38.0, 38.0, 38.0]
    at_zero = expected_purchases(cdnow_bgnbd, 0.0, frequency, recency, horizon)
    assert at_zero.tolist() == [0.0] * 4
    assert not np.signbit(at_zero).any()
    by_t = np.vstack([expected_purchases(cdnow_bgnbd, t, frequency, recency, horizon) for t in (1, 4, 13, 52, 520)])
    assert np.all(np.diff(by_t, axis=0) > 0)


def test_expected_purchases_are_continuous_through_a_equal_one() -> None:
    """The closed form divides by a - 1; the prediction at a = 1 sits between its neighbours."""
    frequency, recency, horizon = [0, 3, 10], [0.0, 20.0, 30.0], [38.0, 38.0, 38.0]

    def at(a: float) -> np.ndarray:
        return expected_purchases(BgNbdParams(r=0.24, alpha=4.41, a=a, b=2.43), 52.0, frequency, recency, horizon)

    below, exactly, above = at(1 - 1e-3), at(1.0), at(1 + 1e-3)
    assert np.all(np.isfinite(exactly))
    np.testing.assert_allclose(exactly, (below + above) / 2, rtol=1e-6)


def test_expected_purchases_refuse_to_answer_outside_the_hypergeometric_functions_range() -> None:
    """With a + b = 1 a newcomer's 2F1 has c = a + b + x - 1 = 0, a pole: the error names the customer."""
    pole = BgNbdParams(r=0.5, alpha=2.0, a=0.5, b=0.5)
    with pytest.raises(FloatingPointError, match=r"out of its numerical range .* index 1 \(frequency=0.0, T=5.0\)"):
        expected_purchases(pole, 10.0, [1, 0], [1.0, 0.0], [5.0, 5.0])


def test_new_customer_expectation_is_the_mean_frequency_of_simulated_customers(cdnow_bgnbd: BgNbdParams) -> None:
    """With x = t_x = T = 0 the expectation is E[X(t)] of a new customer (equation 7): the simulator's mean count."""
    counts = simulate_bgnbd(cdnow_bgnbd, 400_000, 39.0, np.random.default_rng(3))["frequency"].to_numpy()
    standard_error = counts.std(ddof=1) / np.sqrt(counts.size)
    assert abs(counts.mean() - expected_purchases(cdnow_bgnbd, 39.0, [0], [0.0], [0.0])[0]) < 4 * standard_error


def test_fit_recovers_the_cdnow_parameters_within_ten_percent(cdnow_bgnbd: BgNbdParams) -> None:
    """200,000 customers observed for 52-78 weeks: the largest standard error (b) is about 2.2%, so 10% is 4.5 SEs."""
    observed = np.random.default_rng(1000).uniform(52.0, 78.0, 200_000)
    recovery = bgnbd_parameter_recovery(cdnow_bgnbd, n_customers=200_000, T=observed, seed=0)
    assert recovery.fitted.fit is not None
    assert recovery.fitted.fit.converged, recovery.fitted.fit.message
    assert recovery.max_relative_error < 0.10, recovery.relative_errors


def test_fit_reports_the_maximised_total_log_likelihood(cdnow_bgnbd: BgNbdParams) -> None:
    customers = simulate_bgnbd(cdnow_bgnbd, 5_000, 39.0, np.random.default_rng(11))
    data = (customers["frequency"], customers["recency"], customers["T"])
    fitted = fit_bgnbd(*data)
    assert fitted.fit is not None
    assert fitted.fit.n_customers == 5_000
    assert fitted.log_likelihood == pytest.approx(bgnbd_log_likelihood(fitted, *data).sum(), rel=1e-12)
    assert fitted.log_likelihood >= bgnbd_log_likelihood(cdnow_bgnbd, *data).sum()
    nudged = BgNbdParams(r=fitted.r * 1.01, alpha=fitted.alpha, a=fitted.a * 0.99, b=fitted.b * 1.01)
    assert fitted.log_likelihood > bgnbd_log_likelihood(nudged, *data).sum()


def test_fit_does_not_depend_on_the_time_unit(cdnow_bgnbd: BgNbdParams) -> None:
    """The same customers in days instead of weeks: alpha scales by 7, the shape parameters stay."""
    customers = simulate_bgnbd(cdnow_bgnbd, 5_000, 39.0, np.random.default_rng(12))
    in_weeks = fit_bgnbd(customers["frequency"], customers["recency"], customers["T"])
    in_days = fit_bgnbd(customers["frequency"], customers["recency"] * 7, customers["T"] * 7)
    assert in_days.alpha == pytest.approx(in_weeks.alpha * 7, rel=1e-4)
    for name in ("r", "a", "b"):
        assert getattr(in_days, name) == pytest.approx(getattr(in_weeks, name), rel=1e-4)


@pytest.mark.parametrize("name", ["r", "alpha", "a", "b"])
@pytest.mark.parametrize("value", [0.0, -1.0, float("nan"), float("inf")])
def test_parameters_must_be_positive_and_finite(name: str, value: float) -> None:
    values = {"r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0} | {name: value}
    with pytest.raises(ValueError, match=f"parameter {name} must be a finite number > 0"):
        BgNbdParams(**values)


def test_expected_purchases_stay_finite_when_the_dropout_distribution_collapses() -> None:
    """A fit on short histories can send a and b to millions with a / (a + b) fixed (here 0.3).

    The closed form leaves floating point there; the fixed-dropout limit takes over, and it matches
    the closed form within 1% where both can still be computed (a + b = 1000).
    """
    frequency, recency, horizon = (
        np.array([0.0, 1.0, 3.0, 10.0]),
        np.array([0.0, 5.0, 50.0, 150.0]),
        np.array([30.0, 60.0, 100.0, 200.0]),
    )
    collapsed = BgNbdParams(r=1.17, alpha=40.5, a=0.3 * 7e6, b=0.7 * 7e6)
    predicted = expected_purchases(collapsed, 90.0, frequency, recency, horizon)
    assert np.all(np.isfinite(predicted))
    assert np.all(predicted > 0)
    moderate = BgNbdParams(r=1.17, alpha=40.5, a=300.0, b=700.0)
    limit = BgNbdParams(r=1.17, alpha=40.5, a=0.3 * 1e7, b=0.7 * 1e7)
    np.testing.assert_allclose(
        expected_purchases(moderate, 365.0, frequency, recency, horizon),
        expected_purchases(limit, 365.0, frequency, recency, horizon)
        * probability_alive(moderate, frequency, recency, horizon)
        / probability_alive(limit, frequency, recency, horizon),
        rtol=0.012,
    )
