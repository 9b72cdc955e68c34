"""The baseline the real generator is measured against: the typical tutorial data generator.

Python loops, one Faker or `random` call per field per row, rows collected as a list of dicts and
turned into a DataFrame at the end. It produces one day of the same tables and columns as the
real generator (customers, products, sessions, events, orders, order_items) so the two are
compared on the same output, but none of the real generator's behaviour (funnel, temporal
curves, seeded reproducibility per day) — that would only make it slower. It is deliberately not
optimised: being what people write first is the point.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
from faker import Faker

EVENT_TYPES = (
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
)
SEGMENTS = ("new", "returning", "loyal", "power")
CHANNELS = ("organic_search", "paid_search", "social", "email", "referral", "direct", "affiliate")
DEVICES = ("mobile", "desktop", "tablet")
BROWSERS = ("chrome", "safari", "firefox", "edge", "samsung")
PAYMENT_METHODS = ("credit_card", "debit_card", "paypal", "apple_pay", "google_pay", "bank_transfer")
CATEGORIES = ("Electronics", "Fashion", "Home", "Beauty", "Sports", "Toys", "Books", "Grocery")
EVENTS_PER_SESSION = (1, 12)

Row = dict[str, Any]


def generate_naive_day(day: dt.date, *, events: int, seed: int = 42) -> dict[str, pl.DataFrame]:
    """About `events` clickstream events of `day` and the rows around them, the tutorial way."""
    fake = Faker()
    Faker.seed(seed)
    random.seed(seed)
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    end = start + dt.timedelta(days=1)
    sessions_wanted = max(1, events // sum(EVENTS_PER_SESSION) * 2)
    customers = [_customer(fake, number, start, end) for number in range(max(1, sessions_wanted // 4))]
    products = [_product(fake, number) for number in range(max(1, sessions_wanted // 20))]
    sessions: list[Row] = []
    event_rows: list[Row] = []
    while len(event_rows) < events:
        session = _session(fake, len(sessions), random.choice(customers), start, end)
        session_events = _session_events(fake, session, products, events - len(event_rows))
        session["ended_at"] = max(event["event_at"] for event in session_events)
        sessions.append(session)
        event_rows.extend(session_events)
    orders, order_items = _orders(fake, sessions, event_rows, products)
    tables = {
        "customers": customers,
        "products": products,
        "sessions": sessions,
        "events": event_rows,
        "orders": orders,
        "order_items": order_items,
    }
    return {name: pl.DataFrame(rows) for name, rows in tables.items()}


def _customer(fake: Faker, number: int, start: dt.datetime, end: dt.datetime) -> Row:
    return {
        "customer_id": f"C{number:08d}",
        "first_name": fake.first_name(),
        "last_name": fake.last_name(),
        "email": fake.email(),
        "signup_at": fake.date_time_between(start, end, tzinfo=dt.UTC),
        "country_code": fake.country_code(),
        "region": fake.state(),
        "city": fake.city(),
        "latitude": float(fake.latitude()),
        "longitude": float(fake.longitude()),
        "acquisition_channel": random.choice(CHANNELS),
        "segment": random.choice(SEGMENTS),
    }


def _product(fake: Faker, number: int) -> Row:
    price = round(random.uniform(5, 500), 2)
    return {
        "product_id": f"P{number:06d}",
        "product_name": fake.catch_phrase(),
        "category": random.choice(CATEGORIES),
        "brand": fake.company(),
        "unit_price": price,
        "unit_cost": round(price * random.uniform(0.4, 0.8), 2),
    }


def _session(fake: Faker, number: int, customer: Row, start: dt.datetime, end: dt.datetime) -> Row:
    return {
        "session_id": f"S{number:09d}",
        "customer_id": customer["customer_id"],
        "started_at": fake.date_time_between(start, end, tzinfo=dt.UTC),
        "ended_at": None,
        "device": random.choice(DEVICES),
        "browser": random.choice(BROWSERS),
        "channel": random.choice(CHANNELS),
        "referrer": fake.domain_name() if random.random() < 0.6 else None,
        "country_code": fake.country_code(),
    }


def _session_events(fake: Faker, session: Row, products: list[Row], remaining: int) -> list[Row]:
    rows = []
    started = session["started_at"]
    for _ in range(min(random.randint(*EVENTS_PER_SESSION), remaining)):
        event_type = random.choice(EVENT_TYPES)
        has_product = event_type not in {"page_view", "search", "login", "signup", "view_cart"}
        rows.append(
            {
                "event_id": fake.uuid4(),
                "session_id": session["session_id"],
                "customer_id": session["customer_id"],
                "event_type": event_type,
                "event_at": fake.date_time_between(started, started + dt.timedelta(minutes=30), tzinfo=dt.UTC),
                "product_id": random.choice(products)["product_id"] if has_product else None,
                "quantity": random.randint(1, 3) if has_product else None,
            }
        )
    return rows


def _orders(fake: Faker, sessions: list[Row], events: list[Row], products: list[Row]) -> tuple[list[Row], list[Row]]:
    by_session = {session["session_id"]: session for session in sessions}
    orders: list[Row] = []
    items: list[Row] = []
    for event in events:
        if event["event_type"] != "purchase":
            continue
        session = by_session[event["session_id"]]
        order_id = f"O{len(orders):09d}"
        orders.append(
            {
                "order_id": order_id,
                "customer_id": event["customer_id"],
                "session_id": event["session_id"],
                "ordered_at": event["event_at"],
                "payment_method": random.choice(PAYMENT_METHODS),
                "card_id": fake.credit_card_number(),
                "device": session["device"],
                "country_code": session["country_code"],
                "currency": "USD",
            }
        )
        for line_number in range(1, random.randint(1, 4) + 1):
            product = random.choice(products)
            items.append(
                {
                    "order_id": order_id,
                    "line_number": line_number,
                    "product_id": product["product_id"],
                    "quantity": random.randint(1, 3),
                    "unit_price": product["unit_price"],
                    "unit_cost": product["unit_cost"],
                    "discount_amount": round(random.choice([0.0, 0.0, 0.0, 0.1, 0.2]) * product["unit_price"], 2),
                }
            )
    return orders, items
