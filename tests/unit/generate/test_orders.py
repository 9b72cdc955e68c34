"""Orders and their lines, from a hand-made clickstream."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.orders import DiscountPolicy, orders_from_events

DAY = dt.date(2025, 9, 3)


def _at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=dt.UTC)


PRODUCTS = pl.DataFrame(
    {"product_id": ["P00001", "P00002", "P00003"], "unit_price": [10.0, 2.5, 99.99], "unit_cost": [6.0, 1.0, 50.0]}
)
SESSIONS = pl.DataFrame(
    {
        "session_id": ["S-buyer", "S-browser"],
        "customer_id": ["C0000001", "C0000002"],
        "device": ["mobile", "desktop"],
        "country_code": ["GB", "US"],
    }
)
# The buyer adds product 1 twice and product 0 twice (2 then 1), then buys; the browser carts product 2 but leaves.
EVENTS = pl.DataFrame(
    {
        "session_id": ["S-buyer"] * 5 + ["S-browser"] * 2,
        "customer_id": ["C0000001"] * 5 + ["C0000002"] * 2,
        "event_type": [
            *["add_to_cart", "add_to_cart", "add_to_cart", "begin_checkout", "purchase"],
            *["product_view", "add_to_cart"],
        ],
        "event_at": [_at(9, 0), _at(9, 5), _at(9, 10), _at(9, 20), _at(9, 30), _at(10, 0), _at(10, 1)],
        "product_index": [1, 0, 0, -1, -1, 2, 2],
        "quantity": [1, 2, 1, None, None, None, 4],
    },
    schema_overrides={"quantity": pl.Int32, "event_at": pl.Datetime("us", "UTC")},
)


@pytest.mark.parametrize(("share", "discount"), [(0.0, [0.0, 0.0]), (1.0, [0.25, 3.0])])
def test_one_order_per_purchase_with_a_line_per_carted_product(
    tiny_config: ShopConfig, share: float, discount: list[float]
) -> None:
    policy = DiscountPolicy(share_of_orders=share, percentages=(0.10,))
    orders, items = orders_from_events(tiny_config, DAY, SESSIONS, EVENTS, PRODUCTS, discounts=policy)

    assert orders.to_dicts() == [
        {
            "order_id": "O20250903-000001",
            "customer_id": "C0000001",
            "session_id": "S-buyer",
            "ordered_at": _at(9, 30),
            "payment_method": orders["payment_method"][0],
            "device": "mobile",
            "country_code": "GB",
            "currency": "USD",
        }
    ]
    # Lines follow the order the products were first added; repeated adds are summed.
    assert items.to_dict(as_series=False) == {
        "order_id": ["O20250903-000001", "O20250903-000001"],
        "line_number": [1, 2],
        "product_id": ["P00002", "P00001"],
        "quantity": [1, 3],
        "unit_price": [2.5, 10.0],
        "unit_cost": [1.0, 6.0],
        "discount_amount": discount,
    }


def test_no_purchase_no_order(tiny_config: ShopConfig) -> None:
    browsing_only = EVENTS.filter(pl.col("event_type") != "purchase")
    orders, items = orders_from_events(tiny_config, DAY, SESSIONS, browsing_only, PRODUCTS)
    assert orders.is_empty()
    assert items.is_empty()
