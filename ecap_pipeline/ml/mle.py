"""Maximum likelihood on log-parameters, shared by the BG/NBD and Gamma-Gamma fits.

Every parameter of both models is positive, so the optimiser works on their logarithms: the
search space is unbounded in principle and equally scaled whatever the time or money unit. The
box `LOG_BOUNDS` only stops a degenerate data set (say, nobody ever drops out) from walking a
parameter off to infinity; a fit that ends on it reports `converged=False`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ecap_pipeline.ml.clv_inputs import FloatArray

LOG_BOUNDS = (np.log(1e-8), np.log(1e8))
"""Each parameter stays within [1e-8, 1e8]."""

LogLikelihood = Callable[[FloatArray], tuple[float, FloatArray]]
"""Log-parameters -> (total log-likelihood, its gradient with respect to the log-parameters)."""


@dataclass(frozen=True)
class FitInfo:
    """How a maximum-likelihood fit went: enough to decide whether to trust it."""

    n_customers: int
    converged: bool
    iterations: int
    seconds: float
    message: str


@dataclass(frozen=True)
class MaximumLikelihood:
    """The parameters at the maximum, the log-likelihood there, and the fit's diagnostics."""

    params: FloatArray
    log_likelihood: float
    info: FitInfo


def maximise(log_likelihood: LogLikelihood, initial: FloatArray, *, n_customers: int) -> MaximumLikelihood:
    """Maximise `log_likelihood` over log-parameters from `initial` (positive parameters) with L-BFGS-B.

    The objective is the mean negative log-likelihood per customer, so the stopping tolerances
    mean the same at 1,000 or 1,000,000 customers.
    """

    def objective(log_params: FloatArray) -> tuple[float, FloatArray]:
        total, gradient = log_likelihood(log_params)
        return -total / n_customers, -gradient / n_customers

    started = time.perf_counter()
    result = minimize(
        objective,
        np.log(initial),
        jac=True,
        method="L-BFGS-B",
        bounds=[LOG_BOUNDS] * initial.size,
        options={"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-8},
    )
    seconds = time.perf_counter() - started
    on_bound = bool(np.any(np.isclose(result.x, LOG_BOUNDS[0]) | np.isclose(result.x, LOG_BOUNDS[1])))
    message = str(result.message) + ("; a parameter ended on its bound" if on_bound else "")
    info = FitInfo(
        n_customers=n_customers,
        converged=bool(result.success) and not on_bound,
        iterations=int(result.nit),
        seconds=seconds,
        message=message,
    )
    return MaximumLikelihood(params=np.exp(result.x), log_likelihood=-float(result.fun) * n_customers, info=info)
