"""Realism figures of the tiny shop over twelve weeks, as numbers: the shape analysts expect."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.generate.campaigns import CAMPAIGN_CHANNELS
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import generate_day
from ecap_pipeline.generate.scales import SCALES

FUNNEL_STEPS = ("product_view", "add_to_cart", "begin_checkout", "add_shipping_info", "add_payment_info", "purchase")


def _revenue(items: pl.DataFrame) -> float:
    return float((items["quantity"] * items["unit_price"] - items["discount_amount"]).sum())


def _conversion(tables: dict[str, pl.DataFrame]) -> float:
    return tables["orders"].height / tables["sessions"].height


def test_the_busiest_hour_has_at_least_three_times_the_events_of_the_quietest(history: dict[str, pl.DataFrame]) -> None:
    per_hour = np.bincount(history["events"]["event_at"].dt.hour().to_numpy(), minlength=24)
    assert per_hour.min() > 0
    assert per_hour.max() >= 3 * per_hour.min(), per_hour


def test_weekend_sessions_match_the_configured_uplift_within_15_percent(
    tiny_config: ShopConfig, history: dict[str, pl.DataFrame]
) -> None:
    per_day = (
        history["sessions"]
        .filter(pl.col("day") > tiny_config.opening_date)  # the opening day is every initial customer's signup
        .group_by("day")
        .len()
        .with_columns(weekend=pl.col("day").dt.weekday() >= 6)
    )
    ratio = per_day.filter("weekend")["len"].mean() / per_day.filter(~pl.col("weekend"))["len"].mean()
    expected = 1.0 + tiny_config.behaviour.weekend_uplift
    assert abs(ratio / expected - 1.0) <= 0.15, ratio


def test_black_friday_revenue_is_at_least_twice_an_ordinary_november_day(tiny_config: ShopConfig) -> None:
    black_friday = _revenue(generate_day(tiny_config, dt.date(2025, 11, 28))["order_items"])
    ordinary = [_revenue(generate_day(tiny_config, dt.date(2025, 11, day))["order_items"]) for day in (7, 12, 14, 19)]
    assert black_friday >= 2 * np.mean(ordinary), (black_friday, ordinary)


def test_the_funnel_narrows_at_every_step_and_converts_between_1_and_8_percent(
    history: dict[str, pl.DataFrame],
) -> None:
    events = history["events"]
    reaching = [events.filter(pl.col("event_type") == step)["session_id"].n_unique() for step in FUNNEL_STEPS]
    assert reaching == sorted(reaching, reverse=True), dict(zip(FUNNEL_STEPS, reaching, strict=True))
    assert 0.01 <= _conversion(history) <= 0.08


@pytest.mark.parametrize("scale", list(SCALES))
def test_conversion_stays_between_1_and_8_percent_at_every_scale(tiny_config: ShopConfig, scale: str) -> None:
    shop = dataclasses.replace(tiny_config, scale=SCALES[scale])
    assert 0.01 <= _conversion(generate_day(shop, shop.opening_date + dt.timedelta(days=9))) <= 0.08


def test_the_top_fifth_of_buyers_brings_at_least_half_the_revenue(history: dict[str, pl.DataFrame]) -> None:
    items = history["order_items"].join(history["orders"].select("order_id", "customer_id"), on="order_id")
    per_customer = (
        items.group_by("customer_id")
        .agg((pl.col("quantity") * pl.col("unit_price") - pl.col("discount_amount")).sum().alias("revenue"))
        .sort("revenue", descending=True)
    )
    top = int(np.ceil(per_customer.height * 0.2))
    assert per_customer.height >= 100
    assert per_customer["revenue"].head(top).sum() >= 0.5 * per_customer["revenue"].sum()


def test_fashion_comes_back_more_often_than_groceries(history: dict[str, pl.DataFrame]) -> None:
    products = history["products"].unique("product_id").select("product_id", "category")
    lines = history["order_items"].join(products, on="product_id")
    returned = history["returns"].select("order_id", "line_number", is_returned=pl.lit(value=True))
    rates = (
        lines.join(returned, on=["order_id", "line_number"], how="left")
        .group_by("category")
        .agg(pl.col("is_returned").fill_null(value=False).mean())
    )
    rate = dict(rates.iter_rows())
    assert rate["Fashion"] > 0.1
    assert rate["Fashion"] > 3 * rate.get("Grocery", 0.0)
    assert 0.02 <= history["returns"].height / history["order_items"].height <= 0.25


def test_sessions_carry_a_browser_of_their_device_and_a_referrer_of_their_channel(
    history: dict[str, pl.DataFrame],
) -> None:
    sessions = history["sessions"]
    with_campaign = sessions.filter(pl.col("campaign_id").is_not_null())
    assert with_campaign.height > 0
    assert set(with_campaign["channel"]) <= set(CAMPAIGN_CHANNELS), "only channels that run campaigns get one"
    desktop = sessions.filter(pl.col("device") == "desktop")
    assert not set(desktop["browser"]) & {"app", "samsung_internet"}
    direct = sessions.filter(pl.col("channel") == "direct")
    assert direct.height > 0
    assert direct["referrer"].null_count() == direct.height
    searched = sessions.filter(pl.col("channel").is_in(["organic_search", "paid_search"]))
    assert set(searched["referrer"]) <= {"google.com", "bing.com", "duckduckgo.com"}
    assert sessions.filter(pl.col("channel") != "direct")["referrer"].null_count() == 0
