"""Training, judging and scoring the predictive CLV model on the shop's orders.

`train_clv` fits BG/NBD and Gamma-Gamma twice: once on a calibration period, to compare its
predictions with what customers bought in the holdout that follows (numbers the model could not
have seen), and once on every order up to the last day, which is the fit that scores. The quality
gate is parameter recovery: 200,000 customers simulated from known parameters, observed for up to
a year, must be fitted back within 10%; it fails when the estimator is wrong. The same simulation
over the scoring fit's own observation windows is reported beside it: it tells whether this
shop's history is long enough to tell slow buyers from lost ones (with a month or two of data the
dropout parameters are not identifiable and P(alive) says little).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from ecap_pipeline.ml.bgnbd import BgNbdParams, expected_purchases, fit_bgnbd, probability_alive
from ecap_pipeline.ml.clv import DAYS_PER_MONTH, discounted_clv
from ecap_pipeline.ml.clv_calibration import calibration_by_frequency
from ecap_pipeline.ml.clv_simulation import ParameterRecovery, bgnbd_parameter_recovery
from ecap_pipeline.ml.clv_transactions import calibration_holdout_summary, summarise_transactions
from ecap_pipeline.ml.gamma_gamma import GammaGammaParams, expected_average_order_value, fit_gamma_gamma
from ecap_pipeline.ml.registry import QualityGate, TrainingWindow

ORDER_COLUMNS = ("customer_id", "order_date", "net_revenue", "margin")
"""What the model reads of each order (`fct_orders`): who, which day, revenue and margin in currency."""

RECOVERY_REFERENCE = BgNbdParams(r=0.24, alpha=4.41 * 7, a=0.79, b=2.43)
"""Known parameters the recovery gate simulates from: Fader, Hardie & Lee's CDNOW estimates, in days."""

RECOVERY_WINDOW_DAYS = 365.0
"""The gate's simulated customers are observed for uniform(1, 365) days: a design where the model is
identifiable, so a miss means the estimator is wrong, not that the data is short."""

PREDICTION_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(),
    "as_of_date": pl.Date(),
    "frequency": pl.Int64(),
    "recency_days": pl.Float64(),
    "tenure_days": pl.Float64(),
    "monetary_value": pl.Float64(),
    "expected_purchases_90d": pl.Float64(),
    "expected_purchases_365d": pl.Float64(),
    "probability_alive": pl.Float64(),
    "expected_average_order_value": pl.Float64(),
    "predicted_clv_12m": pl.Float64(),
    "model_version": pl.String(),
}


class ClvDataError(ValueError):
    """The orders cannot support the model (too short a range, no repeat buyers, ...)."""


@dataclass(frozen=True)
class ClvOptions:
    """Knobs of training; the defaults are what the pipeline uses."""

    max_holdout_days: int = 90
    """The holdout is the last third of the range, at most this many days."""
    annual_discount_rate: float = 0.10
    months: int = 12
    recovery_customers: int = 200_000
    recovery_tolerance: float = 0.10
    seed: int = 0


@dataclass(frozen=True)
class ClvModel:
    """The artifact stored in the registry: both fits on every order up to `observation_end`."""

    bgnbd: BgNbdParams
    gamma_gamma: GammaGammaParams
    observation_end: dt.date
    margin_share: float
    annual_discount_rate: float
    months: int


@dataclass(frozen=True)
class TrainedClv:
    model: ClvModel
    metrics: dict[str, float]
    calibration: pl.DataFrame
    """Mean predicted vs actual holdout purchases per calibration-frequency bucket."""
    recovery: ParameterRecovery
    window: TrainingWindow
    gates: list[QualityGate]


def train_clv(
    orders: pl.DataFrame, *, first_day: dt.date, last_day: dt.date, options: ClvOptions | None = None
) -> TrainedClv:
    """Fit, judge on the holdout, check parameter recovery, and refit on everything for scoring."""
    options = options or ClvOptions()
    _check_orders(orders)
    span = (last_day - first_day).days + 1
    holdout_days = min(options.max_holdout_days, span // 3)
    if holdout_days < 7:
        msg = (
            f"the CLV model needs a holdout of at least 7 days (the last third of the range); the range "
            f"{first_day}..{last_day} has {span} days: build at least 21 days (ECAP_START_DATE / ECAP_END_DATE)"
        )
        raise ClvDataError(msg)
    calibration_end = last_day - dt.timedelta(days=holdout_days)
    summary = calibration_holdout_summary(
        orders, calibration_end=calibration_end, holdout_end=last_day, amount="net_revenue"
    )
    calibration_fit = _fit_bgnbd(summary, calibration_end)
    predicted = expected_purchases(
        calibration_fit, float(holdout_days), summary["frequency"], summary["recency"], summary["T"]
    )
    actual = summary["holdout_frequency"].to_numpy().astype(float)
    scoring = summarise_transactions(orders, observation_end=last_day, amount="net_revenue")
    model = _fit_scoring_model(orders, scoring, last_day=last_day, options=options)
    recovery = bgnbd_parameter_recovery(
        RECOVERY_REFERENCE,
        n_customers=options.recovery_customers,
        T=np.random.default_rng(options.seed).uniform(1.0, RECOVERY_WINDOW_DAYS, options.recovery_customers),
        seed=options.seed,
    )
    # the same check over this shop's own observation windows: reported, not gated (see the module doc)
    windows = scoring["T"].filter(scoring["T"] > 0).to_numpy()
    identifiability = bgnbd_parameter_recovery(
        RECOVERY_REFERENCE,
        n_customers=options.recovery_customers,
        T=np.resize(windows, options.recovery_customers),
        seed=options.seed,
    )
    metrics = {
        "customers": float(summary.height),
        "repeat_customers": float((summary["frequency"] > 0).sum()),
        "holdout_days": float(holdout_days),
        "holdout_actual_purchases": float(actual.sum()),
        "holdout_predicted_purchases": float(predicted.sum()),
        "holdout_mae_per_customer": float(np.mean(np.abs(predicted - actual))),
        "bgnbd_r": model.bgnbd.r,
        "bgnbd_alpha": model.bgnbd.alpha,
        "bgnbd_a": model.bgnbd.a,
        "bgnbd_b": model.bgnbd.b,
        "bgnbd_log_likelihood": float(model.bgnbd.log_likelihood or 0.0),
        "gamma_gamma_p": model.gamma_gamma.p,
        "gamma_gamma_q": model.gamma_gamma.q,
        "gamma_gamma_v": model.gamma_gamma.v,
        "margin_share": model.margin_share,
        "recovery_max_relative_error": recovery.max_relative_error,
        "recovery_on_shop_windows_max_relative_error": identifiability.max_relative_error,
    }
    if actual.sum() > 0:
        metrics["holdout_predicted_to_actual"] = float(predicted.sum() / actual.sum())
    return TrainedClv(
        model=model,
        metrics=metrics,
        calibration=calibration_by_frequency(calibration_fit, summary, holdout_length=float(holdout_days)),
        recovery=recovery,
        window=TrainingWindow(first_day, calibration_end, calibration_end + dt.timedelta(days=1), last_day),
        gates=[
            QualityGate.at_most("recovery_max_relative_error", recovery.max_relative_error, options.recovery_tolerance)
        ],
    )


def _fit_scoring_model(
    orders: pl.DataFrame, summary: pl.DataFrame, *, last_day: dt.date, options: ClvOptions
) -> ClvModel:
    """Both fits on every order up to `last_day`, with the shop's margin share of net revenue."""
    bgnbd = _fit_bgnbd(summary, last_day)
    repeat = summary.filter(pl.col("frequency") > 0)
    gamma_gamma = fit_gamma_gamma(repeat["frequency"], repeat["monetary_value"])
    revenue = orders.filter(pl.col("order_date") <= last_day)
    net = float(revenue["net_revenue"].sum())
    margin_share = min(max(float(revenue["margin"].sum()) / net, 0.0), 1.0) if net > 0 else 0.0
    return ClvModel(bgnbd, gamma_gamma, last_day, margin_share, options.annual_discount_rate, options.months)


def predict_clv(model: ClvModel, orders: pl.DataFrame, *, model_version: str) -> pl.DataFrame:
    """One row per customer who bought up to the model's observation end (`PREDICTION_SCHEMA`)."""
    _check_orders(orders)
    summary = summarise_transactions(orders, observation_end=model.observation_end, amount="net_revenue")
    if summary.is_empty():
        return pl.DataFrame(schema=PREDICTION_SCHEMA)
    x, t_x, horizon, spend = (summary[c] for c in ("frequency", "recency", "T", "monetary_value"))
    return summary.select(
        "customer_id",
        pl.lit(model.observation_end).alias("as_of_date"),
        "frequency",
        pl.col("recency").alias("recency_days"),
        pl.col("T").alias("tenure_days"),
        "monetary_value",
        pl.Series("expected_purchases_90d", expected_purchases(model.bgnbd, 90.0, x, t_x, horizon)),
        pl.Series("expected_purchases_365d", expected_purchases(model.bgnbd, 365.0, x, t_x, horizon)),
        pl.Series("probability_alive", probability_alive(model.bgnbd, x, t_x, horizon)),
        pl.Series("expected_average_order_value", expected_average_order_value(model.gamma_gamma, x, spend)),
        pl.Series(
            "predicted_clv_12m",
            discounted_clv(
                model.bgnbd,
                model.gamma_gamma,
                frequency=x,
                recency=t_x,
                T=horizon,
                monetary_value=spend,
                margin=model.margin_share,
                annual_discount_rate=model.annual_discount_rate,
                months=model.months,
                month_length=DAYS_PER_MONTH,
            ),
        ),
        pl.lit(model_version).alias("model_version"),
    ).cast(PREDICTION_SCHEMA)


def _fit_bgnbd(summary: pl.DataFrame, observation_end: dt.date) -> BgNbdParams:
    if summary.height < 2:
        msg = f"BG/NBD needs at least 2 customers with orders up to {observation_end}; found {summary.height}"
        raise ClvDataError(msg)
    if not (summary["frequency"] > 0).any():
        msg = (
            f"BG/NBD needs customers with a repeat purchase; all {summary.height} customers up to "
            f"{observation_end} bought on one day only, so there is no purchase rhythm to learn from"
        )
        raise ClvDataError(msg)
    return fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])


def _check_orders(orders: pl.DataFrame) -> None:
    missing = [column for column in ORDER_COLUMNS if column not in orders.columns]
    if missing:
        msg = f"orders have no column(s) {missing}; the CLV model reads {list(ORDER_COLUMNS)}"
        raise ClvDataError(msg)
