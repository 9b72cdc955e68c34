"""The clickstream of hand-made sessions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.funnel import EVENT_TYPES, funnel_events

PRODUCT_EVENTS = ("product_view", "add_to_cart", "add_to_wishlist", "remove_from_cart", "write_review")

DAY = dt.date(2025, 9, 3)
NOON = dt.datetime.combine(DAY, dt.time(12), tzinfo=dt.UTC)
LAST_INSTANT = dt.datetime.combine(DAY, dt.time.max, tzinfo=dt.UTC)

SESSIONS = pl.DataFrame(
    {
        "session_id": [f"S{number:03d}" for number in range(1, 41)],
        "customer_id": [f"C{number:07d}" for number in range(1, 41)],
        "started_at": [NOON] * 39 + [LAST_INSTANT - dt.timedelta(seconds=1)],
        "segment_index": [3] * 40,
        "is_signup": [True, False] * 20,
    },
    schema_overrides={"started_at": pl.Datetime("us", "UTC"), "segment_index": pl.Int64},
)


def test_signup_sessions_open_with_a_signup_and_only_they_have_one(tiny_config: ShopConfig) -> None:
    events = funnel_events(tiny_config, DAY, SESSIONS, np.full(10, 0.1))
    first = events.group_by("session_id", maintain_order=True).first()
    signing_up = set(SESSIONS.filter("is_signup")["session_id"])
    assert set(first.filter(pl.col("event_type") == "signup")["session_id"]) == signing_up
    assert set(events.filter(pl.col("event_type") == "signup")["session_id"]) == signing_up
    assert (events.filter(pl.col("event_type") == "login")["session_id"].is_in(list(signing_up))).sum() == 0


def test_product_views_follow_the_popularity(tiny_config: ShopConfig) -> None:
    only_product_three = np.array([0.0, 0.0, 0.0, 1.0, 0.0])
    events = funnel_events(tiny_config, DAY, SESSIONS, only_product_three)
    about_products = events.filter(pl.col("product_index").is_not_null())
    assert about_products.height > 0
    assert set(about_products["product_index"]) == {3}
    assert set(about_products["event_type"]) <= set(PRODUCT_EVENTS)
    assert events.filter(pl.col("event_type").is_in(PRODUCT_EVENTS))["product_index"].null_count() == 0


def test_events_start_with_their_session_and_never_cross_midnight(tiny_config: ShopConfig) -> None:
    events = funnel_events(tiny_config, DAY, SESSIONS, np.full(10, 0.1))
    assert set(events["session_id"]) == set(SESSIONS["session_id"]), "every session has at least one event"
    first = events.group_by("session_id").agg(pl.col("event_at").min()).join(SESSIONS, on="session_id")
    assert (first["event_at"] == first["started_at"]).all()
    assert events["event_at"].max() <= LAST_INSTANT
    late_session = events.filter(pl.col("session_id") == "S040")
    assert late_session.height > 1
    assert late_session["event_at"].dt.date().to_list() == [DAY] * late_session.height


def test_the_funnel_knows_the_14_event_types_and_orders_the_checkout_steps(tiny_config: ShopConfig) -> None:
    assert len(set(EVENT_TYPES)) == 14
    steps = ("view_cart", "begin_checkout", "add_shipping_info", "add_payment_info", "purchase")
    sessions = pl.concat([SESSIONS.with_columns(pl.col("session_id") + f"-{copy}") for copy in range(50)])
    events = funnel_events(tiny_config, DAY, sessions, np.full(10, 0.1))
    rank = {step: position for position, step in enumerate(steps)}
    per_session = (
        events.filter(pl.col("event_type").is_in(steps))
        .group_by("session_id", maintain_order=True)
        .agg(pl.col("event_type").replace_strict(rank, return_dtype=pl.Int64).alias("ranks"))
    )
    assert per_session.height > 0
    for ranks in per_session["ranks"]:
        assert ranks.to_list() == sorted(ranks.to_list()), "checkout steps come in funnel order"
