"""Training and scoring the CLV model on order tables: the split, the gate, the predictions, bad data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.ml.clv_model import PREDICTION_SCHEMA, ClvDataError, ClvOptions, predict_clv, train_clv

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
FAST = ClvOptions(recovery_customers=20_000, recovery_tolerance=0.5)
"""A smaller simulation than the pipeline's: these tests check the plumbing, not the estimator."""


def _orders(customers: int = 400, seed: int = 3) -> pl.DataFrame:
    """Customers buying at individual Poisson rates over the year, each first buying on a random day."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for number in range(customers):
        day = int(rng.integers(0, 300))
        rate = rng.gamma(0.8, 1 / 25)
        while day < 365:
            amount = float(rng.gamma(4.0, 20.0))
            rows.append(
                {
                    "customer_id": f"C{number:04d}",
                    "order_date": FIRST + dt.timedelta(days=day),
                    "net_revenue": amount,
                    "margin": 0.4 * amount,
                }
            )
            day += 1 + int(rng.exponential(1 / rate))
    return pl.DataFrame(rows)


def test_training_judges_on_a_holdout_after_the_calibration_period() -> None:
    trained = train_clv(_orders(), first_day=FIRST, last_day=LAST, options=FAST)
    window = trained.window
    assert window.train_start == FIRST
    assert window.evaluation_end == LAST
    assert window.evaluation_start == window.train_end + dt.timedelta(days=1)
    assert trained.metrics["holdout_days"] == 90
    assert (LAST - window.train_end).days == 90
    assert trained.metrics["holdout_actual_purchases"] > 0
    assert 0.5 < trained.metrics["holdout_predicted_to_actual"] < 2.0
    assert trained.calibration["customers"].sum() == trained.metrics["customers"]
    assert trained.metrics["margin_share"] == pytest.approx(0.4)


def test_holdout_orders_do_not_change_the_calibration_fit() -> None:
    orders = _orders()
    trained = train_clv(orders, first_day=FIRST, last_day=LAST, options=FAST)
    doubled_holdout = pl.concat([orders, orders.filter(pl.col("order_date") > trained.window.train_end)])
    again = train_clv(doubled_holdout, first_day=FIRST, last_day=LAST, options=FAST)
    assert again.metrics["holdout_actual_purchases"] == trained.metrics["holdout_actual_purchases"]
    assert again.metrics["holdout_predicted_purchases"] == pytest.approx(trained.metrics["holdout_predicted_purchases"])


def test_the_gate_is_parameter_recovery_and_fails_past_its_tolerance() -> None:
    strict = ClvOptions(recovery_customers=2_000, recovery_tolerance=1e-6)
    trained = train_clv(_orders(), first_day=FIRST, last_day=LAST, options=strict)
    (gate,) = trained.gates
    assert gate.name == "recovery_max_relative_error"
    assert gate.value == trained.recovery.max_relative_error
    assert not gate.passed


def test_predictions_cover_every_buyer_with_sane_values() -> None:
    orders = _orders()
    trained = train_clv(orders, first_day=FIRST, last_day=LAST, options=FAST)
    predictions = predict_clv(trained.model, orders, model_version="v0001")
    assert predictions.schema == pl.Schema(PREDICTION_SCHEMA)
    assert predictions["customer_id"].n_unique() == predictions.height == orders["customer_id"].n_unique()
    assert (predictions["expected_purchases_365d"] >= predictions["expected_purchases_90d"]).all()
    assert predictions["probability_alive"].is_between(0, 1).all()
    assert (predictions["predicted_clv_12m"] >= 0).all()
    assert (predictions["model_version"] == "v0001").all()


def test_customers_who_only_ever_bought_once_get_a_clear_error() -> None:
    once = _orders().group_by("customer_id").agg(pl.all().first())
    with pytest.raises(ClvDataError, match="bought on one day only"):
        train_clv(once, first_day=FIRST, last_day=LAST, options=FAST)


def test_a_range_too_short_for_a_holdout_says_how_long_it_must_be() -> None:
    with pytest.raises(ClvDataError, match="has 14 days: build at least 21 days"):
        train_clv(_orders(), first_day=FIRST, last_day=FIRST + dt.timedelta(days=13), options=FAST)


def test_scoring_no_orders_gives_an_empty_table_with_the_schema() -> None:
    trained = train_clv(_orders(), first_day=FIRST, last_day=LAST, options=FAST)
    empty = predict_clv(trained.model, _orders().clear(), model_version="v0001")
    assert empty.is_empty()
    assert empty.schema == pl.Schema(PREDICTION_SCHEMA)


def test_orders_without_a_margin_column_are_refused_by_name() -> None:
    with pytest.raises(ClvDataError, match=r"no column\(s\) \['margin'\]"):
        train_clv(_orders().drop("margin"), first_day=FIRST, last_day=LAST, options=FAST)
