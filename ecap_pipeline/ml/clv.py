"""Predictive customer lifetime value: BG/NBD for purchases, Gamma-Gamma for spend, discounted over a horizon.

The public API of `ecap_pipeline.ml`'s CLV model. Fit `fit_bgnbd` on (frequency, recency, T) and
`fit_gamma_gamma` on the repeat customers' (frequency, monetary_value), as `summarise_transactions`
builds them from orders, then predict per customer: `expected_purchases` in the next t,
`probability_alive`, `expected_average_order_value` and `discounted_clv`. All times are in the
unit the models were fitted in (days for the warehouse). `calibration_holdout_summary` and
`calibration_by_frequency` check a fit against the purchases of a later holdout period.
"""

from __future__ import annotations

import numpy as np

from ecap_pipeline.ml.bgnbd import (
    BgNbdParams,
    bgnbd_log_likelihood,
    expected_purchases,
    fit_bgnbd,
    probability_alive,
)
from ecap_pipeline.ml.clv_calibration import calibration_by_frequency
from ecap_pipeline.ml.clv_inputs import ArrayLike, FloatArray, as_non_negative_scalar, rfm_arrays
from ecap_pipeline.ml.clv_simulation import (
    ParameterRecovery,
    bgnbd_parameter_recovery,
    simulate_bgnbd,
    simulate_gamma_gamma,
)
from ecap_pipeline.ml.clv_transactions import calibration_holdout_summary, summarise_transactions
from ecap_pipeline.ml.gamma_gamma import (
    GammaGammaParams,
    expected_average_order_value,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
)
from ecap_pipeline.ml.mle import FitInfo

__all__ = [
    "DAYS_PER_MONTH",
    "BgNbdParams",
    "FitInfo",
    "GammaGammaParams",
    "ParameterRecovery",
    "bgnbd_log_likelihood",
    "bgnbd_parameter_recovery",
    "calibration_by_frequency",
    "calibration_holdout_summary",
    "discounted_clv",
    "expected_average_order_value",
    "expected_purchases",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "gamma_gamma_log_likelihood",
    "probability_alive",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "summarise_transactions",
]

DAYS_PER_MONTH = 365.25 / 12
"""The length of a month in days: the default discounting period for models fitted in days."""


def discounted_clv(
    bgnbd: BgNbdParams,
    gamma_gamma: GammaGammaParams,
    *,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
    monetary_value: ArrayLike,
    margin: float,
    annual_discount_rate: float,
    months: int = 12,
    month_length: float = DAYS_PER_MONTH,
) -> FloatArray:
    """Each customer's expected margin over the next `months`, discounted monthly to today.

    The customer arrays are keyword-only: four float arrays in a row are too easy to swap.

    CLV = sum over months i = 1..months of
    margin * E[M] * (E[X(i L)] - E[X((i - 1) L)]) / (1 + d)^i,
    where E[X(t)] is the BG/NBD's expected purchases in the next t, E[M] the Gamma-Gamma expected
    average order value, L = `month_length` in the models' time unit (the default is a month in
    days; pass DAYS_PER_MONTH / 7 for models fitted in weeks), and d = (1 + annual_discount_rate)^(1/12) - 1
    the monthly rate equivalent to the annual one. Each month's purchases are discounted as if
    paid at the month's end. `margin` is the share of revenue kept, in [0, 1].
    """
    if not 0 <= margin <= 1:
        msg = f"margin must be a share of revenue in [0, 1], got {margin}"
        raise ValueError(msg)
    rate = as_non_negative_scalar("annual_discount_rate", annual_discount_rate)
    if months < 1:
        msg = f"months must be >= 1, got {months}"
        raise ValueError(msg)
    if not np.isfinite(month_length) or month_length <= 0:
        msg = f"month_length must be a finite number > 0 (in the models' time unit), got {month_length}"
        raise ValueError(msg)
    x, t_x, horizon = rfm_arrays(frequency, recency, T)
    order_value = expected_average_order_value(gamma_gamma, x, monetary_value)
    monthly_rate = (1.0 + rate) ** (1.0 / 12.0) - 1.0
    cumulative = np.vstack(
        [expected_purchases(bgnbd, month * month_length, x, t_x, horizon) for month in range(months + 1)]
    )
    discount = (1.0 + monthly_rate) ** -np.arange(1, months + 1)
    return margin * order_value * np.sum(discount[:, np.newaxis] * np.diff(cumulative, axis=0), axis=0)
