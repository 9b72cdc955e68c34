"""Draw customers from the BG/NBD and Gamma-Gamma generative models, and check that fits recover them.

Simulated customers with known parameters are what the model-quality check fits on: a fitting
routine that cannot find the parameters that generated its data cannot be trusted on real data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ecap_pipeline.ml.bgnbd import BgNbdParams, fit_bgnbd
from ecap_pipeline.ml.clv_inputs import ArrayLike, FloatArray, as_float_array, as_non_negative_scalar, fail_where
from ecap_pipeline.ml.gamma_gamma import GammaGammaParams

_SMALLEST_DROPOUT = 1e-12
"""Beta draws with a < 1 can underflow to 0; a dropout probability this small never fires anyway."""


def simulate_bgnbd(
    params: BgNbdParams,
    n_customers: int,
    T: float | ArrayLike,  # noqa: N803
    rng: np.random.Generator,
    *,
    holdout: float = 0.0,
) -> pl.DataFrame:
    """`n_customers` customers drawn from the BG/NBD, observed for `T` after their first purchase.

    Columns `frequency`, `recency`, `T` (the calibration summary) and `holdout_frequency`, the
    purchases they go on to make in the `holdout` that follows T. `T` is one length for everyone
    or one per customer. Each customer draws a rate lambda ~ Gamma(r, alpha) and a dropout
    probability p ~ Beta(a, b); they stop after the J-th repeat purchase, J ~ Geometric(p).
    Their Poisson purchase times over (0, T + holdout] are drawn as a count and, given the count,
    uniform order statistics, so no customer is simulated event by event.
    """
    if n_customers < 1:
        msg = f"n_customers must be >= 1, got {n_customers}"
        raise ValueError(msg)
    lengths = as_float_array("T", T)
    if lengths.size not in {1, n_customers}:
        msg = f"T must be one length for everyone or one per customer ({n_customers}), got {lengths.size} values"
        raise ValueError(msg)
    observed = np.broadcast_to(lengths, (n_customers,)).copy()
    fail_where("T", observed <= 0, observed, "must be > 0")
    future = as_non_negative_scalar("holdout", holdout)
    rate = rng.gamma(shape=params.r, scale=1.0 / params.alpha, size=n_customers)
    dropout = np.clip(rng.beta(params.a, params.b, size=n_customers), _SMALLEST_DROPOUT, 1.0)
    last_purchase = rng.geometric(dropout)
    purchases = rng.poisson(rate * (observed + future))
    in_calibration = rng.binomial(purchases, observed / (observed + future))
    frequency = np.minimum(in_calibration, last_purchase)
    in_holdout = np.minimum(purchases - in_calibration, np.maximum(last_purchase - in_calibration, 0))
    # the x-th of n uniform arrival times on (0, T] is T * Beta(x, n - x + 1)
    recency = np.where(
        frequency > 0,
        observed * rng.beta(np.maximum(frequency, 1), in_calibration - frequency + 1),
        0.0,
    )
    return pl.DataFrame(
        {"frequency": frequency, "recency": recency, "T": observed, "holdout_frequency": in_holdout},
        schema={"frequency": pl.Int64, "recency": pl.Float64, "T": pl.Float64, "holdout_frequency": pl.Int64},
    )


def simulate_gamma_gamma(params: GammaGammaParams, frequency: ArrayLike, rng: np.random.Generator) -> FloatArray:
    """Each customer's mean value over `frequency` transactions drawn from the Gamma-Gamma; 0 where frequency is 0.

    A customer draws nu ~ Gamma(q, v); the sum of their x transactions, each Gamma(p, nu), is Gamma(p x, nu).
    """
    x = as_float_array("frequency", frequency)
    fail_where("frequency", (x < 0) | (x != np.floor(x)), x, "must be a whole number >= 0")
    nu = rng.gamma(shape=params.q, scale=1.0 / params.v, size=x.size)
    repeat = x > 0
    total = np.zeros(x.size)
    total[repeat] = rng.gamma(shape=params.p * x[repeat], scale=1.0 / nu[repeat])
    return np.divide(total, x, out=np.zeros(x.size), where=repeat)


@dataclass(frozen=True)
class ParameterRecovery:
    """A BG/NBD fit on customers simulated from `true`, and how far each parameter landed from the truth."""

    true: BgNbdParams
    fitted: BgNbdParams
    relative_errors: dict[str, float]

    @property
    def max_relative_error(self) -> float:
        return max(self.relative_errors.values())


def bgnbd_parameter_recovery(
    true: BgNbdParams,
    *,
    n_customers: int,
    T: float | ArrayLike,  # noqa: N803
    seed: int,
) -> ParameterRecovery:
    """Simulate `n_customers` from `true`, fit the BG/NBD on them, and compare each parameter with the truth."""
    customers = simulate_bgnbd(true, n_customers, T, np.random.default_rng(seed))
    fitted = fit_bgnbd(customers["frequency"], customers["recency"], customers["T"])
    errors = {name: abs(getattr(fitted, name) / getattr(true, name) - 1.0) for name in ("r", "alpha", "a", "b")}
    return ParameterRecovery(true=true, fitted=fitted, relative_errors=errors)
