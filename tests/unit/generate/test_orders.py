"""Orders, their lines and their returns, from a hand-made clickstream."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.generate.behaviour import Behaviour
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.customers import customer_card_ids, customer_device_ids
from ecap_pipeline.generate.orders import orders_from_events
from ecap_pipeline.generate.returns import returns_for_orders

DAY = dt.date(2025, 9, 3)


def _at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=dt.UTC)


PRODUCTS = pl.DataFrame(
    {
        "product_id": ["P00001", "P00002", "P00003"],
        "unit_price": [10.0, 2.5, 99.99],
        "unit_cost": [6.0, 1.0, 50.0],
        "return_rate": [1.0, 1.0, 1.0],
    }
)
SESSIONS = pl.DataFrame(
    {
        "session_id": ["S-buyer", "S-browser"],
        "customer_id": ["C0000001", "C0000002"],
        "customer_number": [1, 2],
        "device": ["mobile", "desktop"],
        "country_code": ["GB", "US"],
    }
)
# The buyer adds product 1, product 0 twice (2 then 1) and product 2, removes product 2, then buys;
# the browser carts product 2 but leaves.
EVENTS = pl.DataFrame(
    {
        "session_id": ["S-buyer"] * 7 + ["S-browser"] * 2,
        "customer_id": ["C0000001"] * 7 + ["C0000002"] * 2,
        "event_type": [
            *["add_to_cart", "add_to_cart", "add_to_cart", "add_to_cart", "remove_from_cart"],
            *["begin_checkout", "purchase", "product_view", "add_to_cart"],
        ],
        "event_at": [_at(9, minute) for minute in (0, 5, 10, 12, 15, 20, 30)] + [_at(10, 0), _at(10, 1)],
        "product_index": [1, 0, 0, 2, 2, None, None, 2, 2],
        "quantity": [1, 2, 1, 1, 1, None, None, None, 4],
    },
    schema_overrides={"quantity": pl.Int32, "event_at": pl.Datetime("us", "UTC"), "product_index": pl.Int64},
)


def _with_discounts(config: ShopConfig, share: float) -> ShopConfig:
    return dataclasses.replace(config, behaviour=Behaviour(discount_share=share, discount_percentages=(0.10,)))


@pytest.mark.parametrize(("share", "discount"), [(0.0, [0.0, 0.0]), (1.0, [0.25, 3.0])])
def test_one_order_per_purchase_with_a_line_per_product_left_in_the_cart(
    tiny_config: ShopConfig, share: float, discount: list[float]
) -> None:
    orders, items = orders_from_events(_with_discounts(tiny_config, share), DAY, SESSIONS, EVENTS, PRODUCTS)

    order = orders.row(0, named=True)
    assert orders.height == 1
    assert {key: order[key] for key in ("order_id", "customer_id", "session_id", "ordered_at", "device")} == {
        "order_id": "O20250903-000001",
        "customer_id": "C0000001",
        "session_id": "S-buyer",
        "ordered_at": _at(9, 30),
        "device": "mobile",
    }
    assert (order["country_code"], order["currency"]) == ("GB", "USD")
    assert order["device_id"] == customer_device_ids(tiny_config, np.array([1]))[0]
    # Lines follow the order the products were first added; repeated adds are summed; the removed product is gone.
    assert items.to_dict(as_series=False) == {
        "order_id": ["O20250903-000001", "O20250903-000001"],
        "line_number": [1, 2],
        "product_id": ["P00002", "P00001"],
        "quantity": [1, 3],
        "unit_price": [2.5, 10.0],
        "unit_cost": [1.0, 6.0],
        "discount_amount": discount,
    }


@pytest.mark.parametrize(
    ("method", "prefix"), [("credit_card", "K"), ("paypal", "K"), ("bank_transfer", "B"), ("gift_card", "G")]
)
def test_card_payments_use_the_customers_usual_card_and_others_their_own_instrument(
    tiny_config: ShopConfig, method: str, prefix: str
) -> None:
    events = pl.concat([EVENTS.with_columns(pl.col("session_id") + f"-{copy}") for copy in range(200)])
    sessions = pl.concat([SESSIONS.with_columns(pl.col("session_id") + f"-{copy}") for copy in range(200)])
    orders, _ = orders_from_events(tiny_config, DAY, sessions, events, PRODUCTS)
    paid = orders.filter(pl.col("payment_method") == method)
    assert paid.height > 0
    assert paid["card_id"].str.starts_with(prefix).all()
    if prefix == "K":
        assert (paid["card_id"] == customer_card_ids(tiny_config, np.array([1]))[0]).all()
    if prefix == "G":
        assert paid["card_id"].n_unique() == paid.height, "every gift card is a new one"


def test_no_purchase_no_order(tiny_config: ShopConfig) -> None:
    browsing_only = EVENTS.filter(pl.col("event_type") != "purchase")
    orders, items = orders_from_events(tiny_config, DAY, SESSIONS, browsing_only, PRODUCTS)
    assert orders.is_empty()
    assert items.is_empty()


def test_returns_refund_at_most_the_net_line_amount_days_after_the_order(tiny_config: ShopConfig) -> None:
    config = _with_discounts(tiny_config, 1.0)
    orders, items = orders_from_events(config, DAY, SESSIONS, EVENTS, PRODUCTS)
    returns = returns_for_orders(config, DAY, orders, items, PRODUCTS)
    assert returns.height == items.height, "a return rate of 1 brings every line back"
    joined = returns.join(items, on=["order_id", "line_number", "product_id"], suffix="_sold")
    net = joined["quantity_sold"] * joined["unit_price"] - joined["discount_amount"]
    assert ((joined["quantity"] >= 1) & (joined["quantity"] <= joined["quantity_sold"])).all()
    assert ((joined["refund_amount"] > 0) & (joined["refund_amount"] <= net.round(2))).all()
    delay = returns["returned_at"] - _at(9, 30)
    assert delay.min() >= dt.timedelta(days=1)
    assert delay.max() <= dt.timedelta(days=config.behaviour.return_window_days)
