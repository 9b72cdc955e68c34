"""The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

While alive, a customer buys at the times of a Poisson process with rate lambda ~ Gamma(r, alpha)
(shape r, rate alpha); after each repeat purchase they drop out for good with probability
p ~ Beta(a, b). The likelihood of a customer's (x, t_x, T) and the predictions below are the
paper's closed forms (its equations 6, 10 and 11), written in log space so that large
frequencies or long periods neither overflow nor lose precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from ecap_pipeline.ml.clv_inputs import ArrayLike, FloatArray, as_non_negative_scalar, rfm_arrays
from ecap_pipeline.ml.mle import FitInfo, maximise

_NEAR_ONE = 1e-4
"""The prediction's closed form divides by a - 1; within this distance of a = 1 it is interpolated."""

_CONCENTRATED = 1e3
"""a + b from which, where the closed form leaves floating point, the dropout is taken as fixed at
a / (a + b): Beta(a, b)'s standard deviation is then below 0.016, and the two forms agree within
about 1% at a + b = 1000, closer above (the gap shrinks as 1 / (a + b); see the tests)."""


@dataclass(frozen=True)
class BgNbdParams:
    """BG/NBD parameters: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b).

    `alpha` is in the time unit of the data it was fitted on (days for the warehouse). A fit sets
    `log_likelihood` (total over the customers) and `fit`; parameters given by hand leave them None.
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float | None = None
    fit: FitInfo | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("r", "alpha", "a", "b"):
            value = getattr(self, name)
            if not np.isfinite(value) or value <= 0:
                msg = f"BG/NBD parameter {name} must be a finite number > 0, got {value!r}"
                raise ValueError(msg)


def bgnbd_log_likelihood(params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> FloatArray:  # noqa: N803
    """Each customer's log-likelihood ln L(r, alpha, a, b | x, t_x, T) (the paper's equation 6)."""
    return _log_likelihood(
        np.array([params.r, params.alpha, params.a, params.b]), _Customers.of(frequency, recency, T)
    )[0]


def fit_bgnbd(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> BgNbdParams:  # noqa: N803
    """BG/NBD parameters by maximum likelihood on the customers' (frequency, recency, T).

    At least one customer must have a repeat purchase. The search starts from r = a = b = 1 and
    alpha = the mean of T (about one purchase per observation period), so it needs no tuning
    whatever the time unit.
    """
    customers = _Customers.of(frequency, recency, T)
    if not np.any(customers.x > 0):
        msg = "frequency has no value > 0: the BG/NBD cannot be fitted without customers who bought again"
        raise ValueError(msg)
    initial = np.array([1.0, max(float(customers.T.mean()), 1e-3), 1.0, 1.0])

    def total(log_params: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(log_params)
        per_customer, gradient = _log_likelihood(params, customers)
        return float(per_customer.sum()), gradient * params

    best = maximise(total, initial, n_customers=customers.x.size)
    r, alpha, a, b = (float(value) for value in best.params)
    return BgNbdParams(r=r, alpha=alpha, a=a, b=b, log_likelihood=best.log_likelihood, fit=best.info)


def probability_alive(params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> FloatArray:  # noqa: N803
    """P(still alive at T | x, t_x, T) (equation 11); exactly 1 for customers with no repeat purchase.

    In the BG/NBD a customer can only drop out right after a repeat purchase, so someone who has
    made none is alive by construction.
    """
    x, t_x, horizon = rfm_arrays(frequency, recency, T)
    return _probability_alive(params, x, t_x, horizon)


def expected_purchases(
    params: BgNbdParams,
    t: float,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> FloatArray:
    """E[number of purchases in (T, T + t] | x, t_x, T] (equation 10), per customer; 0 at t = 0.

    With frequency = recency = T = 0 it is the expected number of repeat purchases of a new
    customer in their first t (equation 7).
    """
    horizon_t = as_non_negative_scalar("t", t)
    x, t_x, horizon = rfm_arrays(frequency, recency, T)
    alive = _probability_alive(params, x, t_x, horizon)
    if abs(params.a - 1.0) >= _NEAR_ONE:
        return _purchases_if_alive(params, params.a, horizon_t, x, horizon) * alive
    # a = 1 is a removable singularity of the closed form: interpolate between a = 1 -/+ _NEAR_ONE.
    below = _purchases_if_alive(params, 1.0 - _NEAR_ONE, horizon_t, x, horizon)
    above = _purchases_if_alive(params, 1.0 + _NEAR_ONE, horizon_t, x, horizon)
    weight = (params.a - (1.0 - _NEAR_ONE)) / (2 * _NEAR_ONE)
    return (below + weight * (above - below)) * alive


def _purchases_if_alive(params: BgNbdParams, a: float, t: float, x: FloatArray, T: FloatArray) -> FloatArray:  # noqa: N803
    """Equation 10 without its P(alive) factor.

    The paper's ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z) overflows and cancels for
    large x; Euler's transformation 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns it
    into (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose parameters do not grow with x.
    """
    r, alpha, b = params.r, params.alpha, params.b
    log_one_minus_z = np.log(alpha + T) - np.log(alpha + T + t)  # z = t / (alpha + T + t)
    c = a + b + x - 1
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        scaled = np.exp((a - 1) * log_one_minus_z) * hyp2f1(a + b - 1 - r, a - 1, c, -np.expm1(log_one_minus_z))
    if not np.all(np.isfinite(scaled)) and a + b >= _CONCENTRATED:
        return _purchases_if_alive_fixed_dropout(params, t, x, T)
    if not np.all(np.isfinite(scaled)):
        bad = int(np.flatnonzero(~np.isfinite(scaled))[0])
        msg = (
            f"the Gaussian hypergeometric function is out of its numerical range for t={t} and the customer"
            f" at index {bad} (frequency={x[bad]}, T={T[bad]}) with {params}"
        )
        raise FloatingPointError(msg)
    # 1 - scaled and a - 1 share their sign; round-off near t = 0 may leave -0.0 or -1e-17
    return np.maximum(c / (a - 1) * (1.0 - scaled), 0.0)


def _purchases_if_alive_fixed_dropout(params: BgNbdParams, t: float, x: FloatArray, T: FloatArray) -> FloatArray:  # noqa: N803
    """Equation 10 without P(alive) when Beta(a, b) is so concentrated that the dropout p is a constant.

    A fit can drive a and b towards infinity with a / (a + b) fixed: every customer then drops out
    with the same p after each purchase. The closed form under/overflows there, but the limit is
    simple: a customer with rate lambda buys (1 - exp(-lambda p t)) / p times in t, and averaging
    over the posterior lambda ~ Gamma(r + x, alpha + T) gives
    (1 - ((alpha + T) / (alpha + T + p t))^(r + x)) / p.
    """
    p = params.a / (params.a + params.b)
    log_ratio = np.log(params.alpha + T) - np.log(params.alpha + T + p * t)
    return -np.expm1((params.r + x) * log_ratio) / p


def _probability_alive(params: BgNbdParams, x: FloatArray, t_x: FloatArray, T: FloatArray) -> FloatArray:  # noqa: N803
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    repeat = x > 0
    log_odds_dead = (
        np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0)) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    )
    return np.where(repeat, expit(-log_odds_dead), 1.0)


class _Customers(NamedTuple):
    """Validated (x, t_x, T) with the distinct frequencies, each customer's index into them and their counts."""

    x: FloatArray
    t_x: FloatArray
    T: FloatArray
    distinct_x: FloatArray
    at: npt.NDArray[np.intp]
    count_at: npt.NDArray[np.intp]

    @classmethod
    def of(cls, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> _Customers:  # noqa: N803
        x, t_x, horizon = rfm_arrays(frequency, recency, T)
        distinct, at = np.unique(x, return_inverse=True)
        return cls(x, t_x, horizon, distinct, at, np.bincount(at))


def _log_likelihood(params: FloatArray, customers: _Customers) -> tuple[FloatArray, FloatArray]:
    """Per-customer log-likelihood, and the gradient of its total in (r, alpha, a, b).

    ln L = ln G(r+x) - ln G(r) + r ln alpha + ln(e^A1 + [x>0] e^A2), with
    A1 = ln B(a, b+x) - ln B(a, b) - (r+x) ln(alpha+T) (alive through T) and
    A2 = ln B(a+1, b+x-1) - ln B(a, b) - (r+x) ln(alpha+t_x) (dropped out after the last purchase);
    the sum of the two exponentials is taken as a log-sum-exp. The special functions depend on x
    alone, so they are evaluated once per distinct frequency, not once per customer.
    """
    r, alpha, a, b = params
    x, distinct, at = customers.x, customers.distinct_x, customers.at
    log_alpha_t = np.log(alpha + customers.T)
    log_alpha_tx = np.log(alpha + customers.t_x)
    repeat = distinct > 0
    b_dead = np.where(repeat, b + distinct - 1, 1.0)  # any positive value where the dropout term is masked out
    log_beta_ab = betaln(a, b)
    alive_term = (betaln(a, b + distinct) - log_beta_ab)[at] - (r + x) * log_alpha_t
    dead_term = np.where(repeat[at], (betaln(a + 1, b_dead) - log_beta_ab)[at] - (r + x) * log_alpha_tx, -np.inf)
    log_sum = np.logaddexp(alive_term, dead_term)
    w_alive = np.exp(alive_term - log_sum)
    w_dead = 1.0 - w_alive
    per_customer = (gammaln(r + distinct) - gammaln(r))[at] + r * np.log(alpha) + log_sum

    # Sums of products, not np.dot: BLAS threads on a busy machine cost more than they save here.
    n_at = customers.count_at
    alive_at = np.bincount(at, weights=w_alive, minlength=distinct.size)
    dead_at = n_at - alive_at
    psi_abx = digamma(a + b + distinct)
    n = x.size
    d_r = (
        np.sum(n_at * (digamma(r + distinct) - digamma(r)))
        + n * np.log(alpha)
        - np.sum(w_alive * log_alpha_t + w_dead * log_alpha_tx)
    )
    d_alpha = n * r / alpha - np.sum((r + x) * (w_alive / (alpha + customers.T) + w_dead / (alpha + customers.t_x)))
    d_a = np.sum(alive_at * (digamma(a) - psi_abx) + dead_at * (digamma(a + 1) - psi_abx)) - n * (
        digamma(a) - digamma(a + b)
    )
    d_b = np.sum(alive_at * (digamma(b + distinct) - psi_abx) + dead_at * (digamma(b_dead) - psi_abx)) - n * (
        digamma(b) - digamma(a + b)
    )
    return per_customer, np.array([d_r, d_alpha, d_a, d_b])
