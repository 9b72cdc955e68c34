"""Fraud and marketing as `generate_day` wires them: labelled, consistent with the rest of the day."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import generate_day
from ecap_pipeline.generate.fraud import FraudPolicy
from ecap_pipeline.generate.fraud_patterns import PATTERNS
from ecap_pipeline.generate.renumber import renumber

FRAUD_RATE = 0.08
"""High enough that a tiny shop (about ten orders a day) gets a measurable share over two months."""


@pytest.fixture(scope="module")
def fraudulent_history(tiny_config: ShopConfig) -> dict[str, pl.DataFrame]:
    config = dataclasses.replace(tiny_config, fraud=FraudPolicy(rate=FRAUD_RATE))
    days = [config.opening_date + dt.timedelta(days=offset) for offset in range(1, 61)]
    generated = [generate_day(config, day) for day in days]
    return {table: pl.concat([tables[table] for tables in generated]) for table in generated[0]}


def test_fraud_share_of_orders_is_within_a_quarter_of_the_configured_rate(
    fraudulent_history: dict[str, pl.DataFrame],
) -> None:
    share = fraudulent_history["fraud_labels"].height / fraudulent_history["orders"].height
    assert FRAUD_RATE * 0.75 <= share <= FRAUD_RATE * 1.25, share


def test_every_fraud_pattern_is_injected(fraudulent_history: dict[str, pl.DataFrame]) -> None:
    assert set(fraudulent_history["fraud_labels"]["pattern"]) == set(PATTERNS)


def test_every_fraud_label_names_an_order_of_its_customer(fraudulent_history: dict[str, pl.DataFrame]) -> None:
    labelled = fraudulent_history["fraud_labels"].join(
        fraudulent_history["orders"], on="order_id", how="left", suffix="_order"
    )
    assert labelled["customer_id_order"].null_count() == 0
    assert (labelled["customer_id"] == labelled["customer_id_order"]).all()


def test_fraudulent_orders_have_lines_sessions_and_a_purchase_event(
    fraudulent_history: dict[str, pl.DataFrame],
) -> None:
    fraud = fraudulent_history["orders"].join(fraudulent_history["fraud_labels"], on="order_id", how="semi")
    assert fraud.join(fraudulent_history["order_items"], on="order_id", how="anti").is_empty()
    assert fraud.join(fraudulent_history["sessions"], on="session_id", how="anti").is_empty()
    purchases = fraudulent_history["events"].filter(pl.col("event_type") == "purchase")
    matched = fraud.join(purchases, left_on=["session_id", "ordered_at"], right_on=["session_id", "event_at"])
    assert matched.height == fraud.height


def test_a_zero_fraud_rate_injects_nothing_but_keeps_the_label_schema(
    tiny_config: ShopConfig,
) -> None:
    config = dataclasses.replace(tiny_config, fraud=FraudPolicy(rate=0.0))
    labels = generate_day(config, config.opening_date + dt.timedelta(days=3))["fraud_labels"]
    assert labels.is_empty()
    assert labels.columns == ["order_id", "customer_id", "pattern"]


def test_every_click_touchpoint_opens_a_session_of_its_customer_and_campaign(
    fraudulent_history: dict[str, pl.DataFrame],
) -> None:
    clicks = fraudulent_history["touchpoints"].filter(pl.col("touchpoint_type") == "click")
    joined = clicks.join(fraudulent_history["sessions"], on="session_id", how="left", suffix="_session")
    assert joined["started_at"].null_count() == 0
    assert (joined["customer_id"] == joined["customer_id_session"]).all()
    assert (joined["touched_at"] == joined["started_at"]).all()
    assert joined["campaign_id"].eq_missing(joined["campaign_id_session"]).all()


def test_campaign_spend_covers_every_campaign_that_got_clicks(fraudulent_history: dict[str, pl.DataFrame]) -> None:
    clicked = (
        fraudulent_history["touchpoints"]
        .filter(pl.col("campaign_id").is_not_null())
        .select("campaign_id", pl.col("touched_at").dt.date().alias("spend_date"))
        .unique()
    )
    assert clicked.join(fraudulent_history["campaign_spend"], on=["campaign_id", "spend_date"], how="anti").is_empty()
    assert (fraudulent_history["campaign_spend"]["spend"] >= 0).all()


def test_ids_do_not_give_fraud_away(fraudulent_history: dict[str, pl.DataFrame]) -> None:
    orders = fraudulent_history["orders"]
    fraud = orders.join(fraudulent_history["fraud_labels"], on="order_id", how="semi")
    assert fraud.height > 0
    for column, pattern in {
        "order_id": r"^O\d{8}-\d{6}$",
        "session_id": r"^S\d{8}-\d{6}$",
        "device_id": r"^D\d{12}$",
        "card_id": r"^[KBG]\d{12}$",
    }.items():
        assert fraud[column].str.contains(pattern).all(), column
    events = fraudulent_history["events"].join(fraud, on="session_id", how="semi")
    assert events["event_id"].str.contains(r"^E\d{8}-\d{7}$").all()


def test_orders_and_sessions_are_numbered_in_time_order_whoever_placed_them(
    fraudulent_history: dict[str, pl.DataFrame],
) -> None:
    for table, stamp, key in (("orders", "ordered_at", "order_id"), ("sessions", "started_at", "session_id")):
        frame = fraudulent_history[table]
        assert frame.sort(key)[stamp].is_sorted(), table


def test_renumbering_a_day_without_fraud_changes_nothing(tiny_config: ShopConfig) -> None:
    day = tiny_config.opening_date + dt.timedelta(days=4)
    without = generate_day(dataclasses.replace(tiny_config, fraud=FraudPolicy(rate=0.0)), day)
    numbered = renumber(
        day,
        sessions=without["sessions"],
        events=without["events"],
        orders=without["orders"],
        order_items=without["order_items"],
        fraud_labels=without["fraud_labels"],
    )
    assert numbered.sessions.equals(without["sessions"])
    assert numbered.events.equals(without["events"])
    assert numbered.orders.equals(without["orders"])


def test_renumbering_gives_injected_rows_ids_in_time_order(fraudulent_history: dict[str, pl.DataFrame]) -> None:
    events = fraudulent_history["events"].join(
        fraudulent_history["sessions"].select("session_id", "started_at"), on="session_id"
    )
    assert events.sort("event_id")["started_at"].is_sorted()
