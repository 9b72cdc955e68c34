"""Basket features: what an order's own lines say, exact on hand-made orders and blind to other orders."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from ecap_pipeline.ml.fraud_config import load_rules
from ecap_pipeline.ml.fraud_inputs import ANOMALY_FEATURES, model_inputs
from tests.unit.ml.fraud_frames import DAY, calm_history, frame, order

RULES = load_rules()
BASKET = ("log_min_unit_price", "max_line_quantity", "discount_share")


def _basket(row: dict[str, object], **values: object) -> dict[str, object]:
    return row | values


def test_basket_features_read_the_cheapest_line_the_biggest_line_and_the_discount() -> None:
    rows = [
        _basket(order("mixed", "c1", DAY, 75.0), discount_amount=25.0, min_unit_price=4.5, max_line_quantity=3),
        _basket(order("no-lines", "c2", DAY, 90.0), discount_amount=None, min_unit_price=None, max_line_quantity=None),
    ]
    rows[1] |= {"units": 3, "item_count": 2}
    inputs = model_inputs(frame(rows), RULES).sort("order_id")
    mixed, no_lines = inputs.select(BASKET).rows()
    assert mixed == (pytest.approx(math.log1p(4.5)), 3, pytest.approx(0.25))  # 25 off a gross of 100
    assert no_lines == (pytest.approx(math.log1p(30.0)), 3, 0.0)  # one line at the average unit price
    assert set(BASKET) <= set(ANOMALY_FEATURES)


def test_basket_features_of_an_order_do_not_change_when_other_orders_arrive() -> None:
    """Point in time: earlier history and later orders of the same customer leave them unchanged."""
    target = _basket(order("target", "c1", DAY, 120.0), discount_amount=30.0, min_unit_price=9.99, max_line_quantity=2)
    later = [
        _basket(order(f"later{n}", "c1", DAY + dt.timedelta(minutes=5 * n), 500.0), min_unit_price=1.0)
        for n in range(1, 4)
    ]
    alone = model_inputs(frame([target]), RULES)
    surrounded = model_inputs(frame([*calm_history("c1"), target, *later]), RULES)
    features = [surrounded.filter(pl.col("order_id") == "target").select(BASKET), alone.select(BASKET)]
    assert features[0].equals(features[1])
    assert features[1].row(0) == (pytest.approx(math.log1p(9.99)), 2, pytest.approx(0.2))
