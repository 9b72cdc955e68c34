"""Invariants every generated day must hold: contracts, keys, referential integrity, the funnel."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.customers import customer_profiles, customers_signed_up_by
from ecap_pipeline.generate.day import GENERATED_TABLES, generate_day
from ecap_pipeline.generate.reference import CARD_PAYMENT_METHODS
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS, GROUND_TRUTH_CONTRACTS

# The event types the dbt staging model accepts (dbt_project/models/staging/bronze/_bronze__models.yml).
ALLOWED_EVENT_TYPES = {
    "page_view",
    "product_view",
    "search",
    "add_to_cart",
    "remove_from_cart",
    "view_cart",
    "begin_checkout",
    "add_shipping_info",
    "add_payment_info",
    "purchase",
    "add_to_wishlist",
    "write_review",
    "login",
    "signup",
}

FUNNEL_STEPS = ("product_view", "add_to_cart", "begin_checkout", "purchase")

PRIMARY_KEYS = {
    "customers": ["customer_id"],
    "products": ["product_id"],
    "sessions": ["session_id"],
    "events": ["event_id"],
    "orders": ["order_id"],
    "order_items": ["order_id", "line_number"],
    "returns": ["return_id"],
    "customer_lifetimes": ["customer_id"],
}
PRODUCT_EVENTS = ["product_view", "add_to_cart", "add_to_wishlist", "remove_from_cart", "write_review"]
QUANTITY_EVENTS = ["add_to_cart", "remove_from_cart"]


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return midnight, midnight + dt.timedelta(days=1)


def _customer_numbers(customer_ids: pl.Series) -> pl.Series:
    return customer_ids.str.strip_prefix("C").cast(pl.Int64)


def test_every_frame_matches_its_contract(tables: dict[str, pl.DataFrame]) -> None:
    assert tuple(tables) == GENERATED_TABLES
    contracts = {**BRONZE_CONTRACTS, **GROUND_TRUTH_CONTRACTS}
    for table, frame in tables.items():
        assert list(frame.schema.items()) == list(contracts[table].items()), table


def test_primary_keys_are_unique_and_not_null(tables: dict[str, pl.DataFrame]) -> None:
    for table, key in PRIMARY_KEYS.items():
        frame = tables[table].select(key)
        assert frame.null_count().sum_horizontal().item() == 0, table
        assert not frame.is_duplicated().any(), table


def test_every_day_has_activity(tables: dict[str, pl.DataFrame]) -> None:
    """Guards the other invariants against passing vacuously on empty frames.

    Returns and fraud are rare on a tiny day; they are checked over many days.
    """
    for table in set(GENERATED_TABLES) - {"returns", "fraud_labels"}:
        assert tables[table].height > 0, table


def test_every_order_has_at_least_one_line(tables: dict[str, pl.DataFrame]) -> None:
    orders, items = tables["orders"], tables["order_items"]
    assert set(orders["order_id"]) == set(items["order_id"])
    line_numbers = items.group_by("order_id").agg(pl.col("line_number").sort())
    for numbers in line_numbers["line_number"]:
        assert numbers.to_list() == list(range(1, len(numbers) + 1))


def test_every_order_comes_from_a_purchasing_session_of_the_same_customer(tables: dict[str, pl.DataFrame]) -> None:
    orders, sessions, events = tables["orders"], tables["sessions"], tables["events"]
    purchases = events.filter(pl.col("event_type") == "purchase")
    assert sorted(orders["session_id"]) == sorted(purchases["session_id"]), "one order per purchasing session"
    joined = orders.join(sessions, on="session_id", how="left", suffix="_session").join(
        purchases.select("session_id", "event_at"), on="session_id", how="left"
    )
    assert joined.height == orders.height
    assert (joined["customer_id"] == joined["customer_id_session"]).all()
    assert (joined["ordered_at"] == joined["event_at"]).all()
    assert (joined["device"] == joined["device_session"]).all()
    assert (joined["country_code"] == joined["country_code_session"]).all()


def test_legitimate_orders_are_placed_from_the_customers_home_with_their_usual_device_and_card(
    tiny_config: ShopConfig, tables: dict[str, pl.DataFrame]
) -> None:
    orders = tables["orders"].join(tables["fraud_labels"], on="order_id", how="anti")
    profiles = customer_profiles(tiny_config, _customer_numbers(orders["customer_id"]).to_numpy())
    joined = orders.join(profiles, on="customer_id", how="left", suffix="_home")
    assert (joined["device_id"] == joined["device_id_home"]).all()
    assert (joined["country_code"] == joined["country_code_home"]).all()
    assert ((joined["latitude"] == joined["latitude_home"]) & (joined["longitude"] == joined["longitude_home"])).all()
    by_card = joined.filter(pl.col("payment_method").is_in(list(CARD_PAYMENT_METHODS)))
    assert (by_card["card_id"] == by_card["card_id_home"]).all()
    assert orders["card_id"].null_count() == 0


def test_order_lines_use_catalog_products_at_catalog_prices(tables: dict[str, pl.DataFrame]) -> None:
    items, products = tables["order_items"], tables["products"]
    priced = items.join(products, on="product_id", how="left", suffix="_catalog")
    assert priced["product_name"].null_count() == 0, "every ordered product exists in the catalog"
    assert (priced["unit_price"] == priced["unit_price_catalog"]).all()
    assert (priced["unit_cost"] == priced["unit_cost_catalog"]).all()


def test_order_line_amounts_are_sane(tables: dict[str, pl.DataFrame]) -> None:
    items = tables["order_items"]
    gross = items["quantity"] * items["unit_price"]
    assert (items["quantity"] >= 1).all()
    assert (items["discount_amount"] >= 0).all()
    assert (items["discount_amount"] <= gross).all()


def test_order_lines_are_the_products_left_in_the_cart_after_removals(tables: dict[str, pl.DataFrame]) -> None:
    carts = (
        tables["events"]
        .filter(pl.col("event_type").is_in(QUANTITY_EVENTS))
        .join(tables["orders"].select("session_id", "order_id"), on="session_id")
        .group_by("order_id", "product_id")
        .agg(pl.when(pl.col("event_type") == "add_to_cart").then("quantity").otherwise(-pl.col("quantity")).sum())
        .filter(pl.col("quantity") > 0)
        .sort("order_id", "product_id")
    )
    lines = tables["order_items"].select("order_id", "product_id", "quantity").sort("order_id", "product_id")
    assert carts.rows() == lines.rows()


def test_events_and_sessions_fall_inside_the_generated_day(day: dt.date, tables: dict[str, pl.DataFrame]) -> None:
    start, end = _day_bounds(day)
    assert tables["events"]["event_at"].is_between(start, end, closed="left").all()
    assert tables["sessions"]["started_at"].is_between(start, end, closed="left").all()
    assert tables["sessions"]["ended_at"].is_between(start, end, closed="left").all()
    assert tables["orders"]["ordered_at"].is_between(start, end, closed="left").all()


def test_sessions_span_their_events(tables: dict[str, pl.DataFrame]) -> None:
    span = (
        tables["events"]
        .group_by("session_id")
        .agg(first=pl.col("event_at").min(), last=pl.col("event_at").max(), customers=pl.col("customer_id").n_unique())
    )
    joined = tables["sessions"].join(span, on="session_id", how="left")
    assert joined["first"].null_count() == 0, "every session has events"
    assert (joined["started_at"] == joined["first"]).all()
    assert (joined["ended_at"] == joined["last"]).all()
    assert (joined["customers"] == 1).all(), "a session's events belong to one customer"
    events_with_session = tables["events"].join(tables["sessions"], on="session_id", how="left", suffix="_session")
    assert (events_with_session["customer_id"] == events_with_session["customer_id_session"]).all()


def test_events_of_a_session_are_in_time_order_with_the_purchase_last(tables: dict[str, pl.DataFrame]) -> None:
    per_session = (
        tables["events"]
        .sort("event_id")
        .group_by("session_id")
        .agg(
            in_time_order=(pl.col("event_at").diff().dt.total_microseconds().fill_null(0) >= 0).all(),
            purchases=(pl.col("event_type") == "purchase").sum(),
            last_type=pl.col("event_type").last(),
        )
    )
    assert per_session["in_time_order"].all()
    assert (per_session["purchases"] <= 1).all()
    purchasing = per_session.filter(pl.col("purchases") == 1)
    assert purchasing.height > 0
    assert (purchasing["last_type"] == "purchase").all()


def test_event_types_are_allowed_names(tables: dict[str, pl.DataFrame]) -> None:
    assert set(tables["events"]["event_type"]) <= ALLOWED_EVENT_TYPES


def test_product_events_name_catalog_products_and_others_none(tables: dict[str, pl.DataFrame]) -> None:
    events = tables["events"]
    about_products = events["event_type"].is_in(PRODUCT_EVENTS)
    assert events.filter(about_products)["product_id"].null_count() == 0
    assert set(events.filter(about_products)["product_id"]) <= set(tables["products"]["product_id"])
    assert events.filter(~about_products)["product_id"].null_count() == events.filter(~about_products).height
    carts = events.filter(pl.col("event_type").is_in(QUANTITY_EVENTS))
    assert (carts["quantity"] >= 1).all()
    assert carts["quantity"].null_count() == 0
    assert events.filter(~pl.col("event_type").is_in(QUANTITY_EVENTS))["quantity"].null_count() == (
        events.height - carts.height
    )


def test_every_removal_takes_out_a_product_added_earlier_in_the_session(tables: dict[str, pl.DataFrame]) -> None:
    events = tables["events"]
    removals = events.filter(pl.col("event_type") == "remove_from_cart")
    adds = events.filter(pl.col("event_type") == "add_to_cart").select(
        "session_id", "product_id", pl.col("event_at").alias("added_at"), pl.col("quantity").alias("added")
    )
    matched = removals.join(adds, on=["session_id", "product_id"], how="left").filter(
        (pl.col("added_at") <= pl.col("event_at")) & (pl.col("added") >= pl.col("quantity"))
    )
    assert matched["event_id"].n_unique() == removals.height


def test_funnel_narrows_at_every_step(tables: dict[str, pl.DataFrame]) -> None:
    events = tables["events"]
    sessions_reaching = [events.filter(pl.col("event_type") == step)["session_id"].n_unique() for step in FUNNEL_STEPS]
    assert sessions_reaching == sorted(sessions_reaching, reverse=True), dict(
        zip(FUNNEL_STEPS, sessions_reaching, strict=True)
    )
    assert sessions_reaching[0] > sessions_reaching[-1] > 0


def test_customers_landed_on_a_day_signed_up_that_day(
    tiny_config: ShopConfig, day: dt.date, tables: dict[str, pl.DataFrame]
) -> None:
    customers = tables["customers"]
    start, end = _day_bounds(day)
    assert customers["signup_at"].is_between(start, end, closed="left").all()
    before = customers_signed_up_by(tiny_config, day - dt.timedelta(days=1))
    by_end_of_day = customers_signed_up_by(tiny_config, day)
    assert _customer_numbers(customers["customer_id"]).to_list() == list(range(before + 1, by_end_of_day + 1))


def test_every_customer_signing_up_has_a_signup_event_that_day(tables: dict[str, pl.DataFrame]) -> None:
    signups = tables["events"].filter(pl.col("event_type") == "signup")
    assert sorted(signups["customer_id"]) == sorted(tables["customers"]["customer_id"])


def test_sessions_only_involve_customers_who_exist_by_that_day(
    tiny_config: ShopConfig, day: dt.date, tables: dict[str, pl.DataFrame]
) -> None:
    numbers = _customer_numbers(tables["sessions"]["customer_id"])
    assert numbers.min() >= 1
    assert numbers.max() <= customers_signed_up_by(tiny_config, day)
    tomorrows_customers = set(generate_day(tiny_config, day + dt.timedelta(days=1))["customers"]["customer_id"])
    assert tomorrows_customers
    assert not tomorrows_customers & set(tables["sessions"]["customer_id"])


def test_a_customers_signup_event_happens_at_their_signup_at(tables: dict[str, pl.DataFrame]) -> None:
    signup_events = tables["events"].filter(pl.col("event_type") == "signup")
    joined = tables["customers"].join(
        signup_events.select("customer_id", pl.col("event_at").alias("signup_event_at")), on="customer_id"
    )
    assert joined.height == tables["customers"].height
    mismatched = joined.filter(pl.col("signup_event_at") != pl.col("signup_at"))
    assert mismatched.is_empty(), mismatched.select("customer_id", "signup_at", "signup_event_at").head(5)


def test_no_new_customer_acts_before_their_signup_at(tables: dict[str, pl.DataFrame]) -> None:
    early = (
        tables["events"]
        .join(tables["customers"].select("customer_id", "signup_at"), on="customer_id")
        .filter(pl.col("event_at") < pl.col("signup_at"))
    )
    assert early.is_empty(), early.select("customer_id", "event_type", "event_at", "signup_at").head(5)
