"""The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value").

Each transaction of a customer is worth z ~ Gamma(p, nu) (shape p, rate nu), and nu varies across
customers as Gamma(q, v). The model is fitted on the repeat customers' mean transaction value
m = monetary_value over their x = frequency repeat purchases, and predicts a customer's expected
average transaction value as a weighted mean of the population mean and their own m. It assumes
spend is independent of purchase frequency: check that on the data before trusting it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy.special import digamma, gammaln

from ecap_pipeline.ml.clv_inputs import ArrayLike, FloatArray, as_float_array, fail_where, require_same_length
from ecap_pipeline.ml.mle import FitInfo, maximise


@dataclass(frozen=True)
class GammaGammaParams:
    """Gamma-Gamma parameters: transaction value ~ Gamma(p, nu), nu ~ Gamma(q, v) across customers.

    `v` is in the money unit of the data it was fitted on. A fit sets `log_likelihood` (total over
    the repeat customers) and `fit`; parameters given by hand leave them None.
    """

    p: float
    q: float
    v: float
    log_likelihood: float | None = None
    fit: FitInfo | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("p", "q", "v"):
            value = getattr(self, name)
            if not np.isfinite(value) or value <= 0:
                msg = f"Gamma-Gamma parameter {name} must be a finite number > 0, got {value!r}"
                raise ValueError(msg)


def repeat_spend_arrays(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Validated (frequency, monetary_value) of every customer; monetary_value must be > 0 where frequency > 0.

    Customers with frequency 0 carry no spend information; their monetary_value (0 by convention)
    is only checked to be finite and >= 0.
    """
    x = as_float_array("frequency", frequency)
    m = as_float_array("monetary_value", monetary_value)
    require_same_length(frequency=x, monetary_value=m)
    fail_where("frequency", x < 0, x, "must be >= 0 (a count of repeat purchases)")
    fail_where("frequency", x != np.floor(x), x, "must be a whole number of repeat purchases")
    fail_where("monetary_value", m < 0, m, "must be >= 0")
    fail_where(
        "monetary_value", (x > 0) & (m == 0), m, "must be > 0 where frequency > 0 (the mean repeat purchase value)"
    )
    return x, m


def gamma_gamma_log_likelihood(params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike) -> FloatArray:
    """Each repeat customer's log-likelihood of their mean spend (customers with frequency 0 are left out)."""
    customers = _RepeatCustomers.of(frequency, monetary_value)
    return _log_likelihood(np.array([params.p, params.q, params.v]), customers)[0]


def fit_gamma_gamma(frequency: ArrayLike, monetary_value: ArrayLike) -> GammaGammaParams:
    """Gamma-Gamma parameters by maximum likelihood on the customers with frequency > 0.

    Starts from p = q = 2 and v = the mean spend, which puts the starting population mean
    p v / (q - 1) at the observed one, whatever the currency.
    """
    customers = _RepeatCustomers.of(frequency, monetary_value)
    initial = np.array([2.0, 2.0, float(np.mean(customers.total_spend / customers.x))])

    def total(log_params: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(log_params)
        per_customer, gradient = _log_likelihood(params, customers)
        return float(per_customer.sum()), gradient * params

    best = maximise(total, initial, n_customers=customers.x.size)
    p, q, v = (float(value) for value in best.params)
    return GammaGammaParams(p=p, q=q, v=v, log_likelihood=best.log_likelihood, fit=best.info)


def expected_average_order_value(
    params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike
) -> FloatArray:
    """E[M | p, q, v, x, m] = (v + m x) p / (p x + q - 1), per customer.

    A customer with no repeat purchase gets the population mean p v / (q - 1), which exists only
    for q > 1 (and in general the expectation needs p x + q > 1).
    """
    x, m = repeat_spend_arrays(frequency, monetary_value)
    p, q, v = params.p, params.q, params.v
    denominator = p * x + q - 1
    if np.any(denominator <= 0):
        lowest = int(x[np.argmin(denominator)])
        msg = f"expected spend needs p * frequency + q > 1; with p={p}, q={q} it fails at frequency={lowest}"
        raise ValueError(msg)
    return (v + m * x) * p / denominator


class _RepeatCustomers(NamedTuple):
    """The repeat customers' x and total spend m x, with the distinct x and each customer's index into them."""

    x: FloatArray
    total_spend: FloatArray
    log_total_spend: FloatArray
    distinct_x: FloatArray
    at: npt.NDArray[np.intp]
    count_at: npt.NDArray[np.intp]

    @classmethod
    def of(cls, frequency: ArrayLike, monetary_value: ArrayLike) -> _RepeatCustomers:
        x, m = repeat_spend_arrays(frequency, monetary_value)
        repeat = x > 0
        if not repeat.any():
            msg = "frequency has no value > 0: the Gamma-Gamma model needs customers with repeat purchases"
            raise ValueError(msg)
        x, total_spend = x[repeat], m[repeat] * x[repeat]
        distinct, at = np.unique(x, return_inverse=True)
        return cls(x, total_spend, np.log(total_spend), distinct, at, np.bincount(at))


def _log_likelihood(params: FloatArray, customers: _RepeatCustomers) -> tuple[FloatArray, FloatArray]:
    """Per-customer log-likelihood of m, and the gradient of its total in (p, q, v).

    The density of the mean m of x transactions is
    G(px+q) / (G(px) G(q)) * v^q * (m x)^(px-1) * x / (v + m x)^(px+q).
    The gamma functions depend on x alone and are evaluated once per distinct x.
    """
    p, q, v = params
    x, distinct, at, count_at = customers.x, customers.distinct_x, customers.at, customers.count_at
    log_v_total = np.log(v + customers.total_spend)
    px = p * distinct
    per_customer = (
        (gammaln(px + q) - gammaln(px))[at]
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * customers.log_total_spend
        + np.log(x)
        - (p * x + q) * log_v_total
    )
    psi_all = digamma(px + q)
    n = x.size
    d_p = np.sum(count_at * distinct * (psi_all - digamma(px))) + np.sum(x * (customers.log_total_spend - log_v_total))
    d_q = np.sum(count_at * psi_all) - n * digamma(q) + n * np.log(v) - np.sum(log_v_total)
    d_v = n * q / v - np.sum((p * x + q) / (v + customers.total_spend))
    return per_customer, np.array([d_p, d_q, d_v])
