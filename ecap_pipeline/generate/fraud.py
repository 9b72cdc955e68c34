"""Injected, labelled fraud: the ground truth the fraud models of layer 5 learn from and are scored on.

`inject_fraud` adds fraudulent orders (with their own sessions, funnel events and lines) to one
day's legitimate data and labels each with its pattern. Legitimate rows are never touched, so a
day with fraud is the same day without it plus some rows. Everything depends only on the seed,
the day and the inputs, so a day can be rebuilt on its own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

import polars as pl

from ecap_pipeline.generate.fraud_patterns import PATTERN_BUILDERS, PATTERNS, DayContext
from ecap_pipeline.generate.fraud_rows import fraud_rows
from ecap_pipeline.generate.randomness import Stream, day_rng, static_rng
from ecap_pipeline.lake.contracts import GROUND_TRUTH_CONTRACTS

if TYPE_CHECKING:
    from ecap_pipeline.generate.config import ShopConfig


_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0

_DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(PATTERNS, 0.2)


def _check_range(name: str, bounds: tuple[float, float], low: float, high: float = math.inf) -> None:
    lo, hi = bounds
    if not (low <= lo <= hi <= high):
        msg = f"fraud {name}={bounds} is invalid: must be (low, high) with {low} <= low <= high <= {high}"
        raise ValueError(msg)


def _check_value(name: str, value: float, low: float, high: float = math.inf) -> None:
    if not (low <= value <= high) or math.isnan(value):
        msg = f"fraud {name}={value} is invalid: must be within [{low}, {high}]"
        raise ValueError(msg)


@dataclass(frozen=True)
class FraudPolicy:
    """How much fraud a day gets, of which kinds, and how each kind looks.

    Defaults make every pattern recognisable by a simple rule (see `fraud_patterns`) while
    staying plausible next to the legitimate orders of the shop.
    """

    rate: float = 0.01
    """Fraudulent orders as a share of all of the day's orders, after injection."""
    pattern_weights: Mapping[str, float] = field(default_factory=lambda: dict(_DEFAULT_WEIGHTS))
    """Share of fraudulent orders per pattern (relative; missing patterns get none)."""
    card_testing_orders: tuple[int, int] = (5, 12)
    """Orders in one card-testing burst (inclusive)."""
    card_testing_seconds_between: tuple[float, float] = (5.0, 30.0)
    """Seconds between two orders of a card-testing burst: a burst lasts a few minutes."""
    card_testing_accounts: tuple[int, int] = (1, 3)
    """Customer accounts a card-testing burst is spread over."""
    cheapest_share: float = 0.1
    """Card testers buy from the cheapest share of the catalog."""
    velocity_orders: tuple[int, int] = (4, 8)
    """Orders in one velocity burst (inclusive)."""
    velocity_window_minutes: float = 50.0
    """A velocity burst's orders all fall within this many minutes (at most an hour)."""
    takeover_amount_multiplier: float = 4.0
    """An account takeover spends at least this multiple of the customer's typical order."""
    outlier_amount_multiplier: float = 12.0
    """An amount outlier spends at least this multiple of the customer's typical order."""
    expensive_share: float = 0.2
    """High-amount fraud buys from the most expensive share of the catalog."""
    travel_gap_minutes: tuple[float, float] = (10.0, 90.0)
    """Minutes between the customer's real order and the impossible-travel order."""
    travel_min_speed_kmh: float = 1500.0
    """Impossible travel implies at least this speed (well above an airliner's ~900 km/h)."""

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # Part of ShopConfig, which keys caches hit dozens of times a day; the read-only mappings
        # are hashed by their items, once per (immutable) instance rather than on every lookup.
        return hash(
            tuple(
                tuple(sorted(value.items())) if isinstance(value, Mapping) else value
                for value in (getattr(self, item.name) for item in fields(self))
            )
        )

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # Read-only mappings do not pickle; rebuilding from plain dicts lets configs cross process pools.
        values = (getattr(self, item.name) for item in fields(self))
        return (type(self), tuple(dict(value) if isinstance(value, Mapping) else value for value in values))

    def __post_init__(self) -> None:
        # Read-only copy: the default policy is shared by every call, so nobody may change its weights.
        object.__setattr__(self, "pattern_weights", MappingProxyType(dict(self.pattern_weights)))
        _check_value("rate", self.rate, 0.0, 1.0)
        if self.rate == 1.0:
            msg = "fraud rate=1.0 is invalid: must be below 1 (fraud is injected next to legitimate orders)"
            raise ValueError(msg)
        unknown = sorted(set(self.pattern_weights) - set(PATTERNS))
        if unknown:
            msg = f"fraud pattern_weights has unknown pattern(s) {unknown}; known: {', '.join(PATTERNS)}"
            raise ValueError(msg)
        for pattern, weight in self.pattern_weights.items():
            _check_value(f"pattern_weights[{pattern!r}]", weight, 0.0)
        if sum(self.pattern_weights.values()) <= 0.0:
            msg = "fraud pattern_weights are all zero: at least one pattern needs a positive weight"
            raise ValueError(msg)
        _check_range("card_testing_orders", self.card_testing_orders, 1)
        _check_range("card_testing_seconds_between", self.card_testing_seconds_between, 1.0, 600.0)
        _check_range("card_testing_accounts", self.card_testing_accounts, 1)
        _check_range("velocity_orders", self.velocity_orders, 1)
        _check_range("travel_gap_minutes", self.travel_gap_minutes, 1.0, 600.0)
        _check_value("cheapest_share", self.cheapest_share, 0.0, 1.0)
        _check_value("expensive_share", self.expensive_share, 0.0, 1.0)
        _check_value("velocity_window_minutes", self.velocity_window_minutes, 1.0, 60.0)
        _check_value("takeover_amount_multiplier", self.takeover_amount_multiplier, 1.0)
        _check_value("outlier_amount_multiplier", self.outlier_amount_multiplier, 1.0)
        _check_value("travel_min_speed_kmh", self.travel_min_speed_kmh, 1.0)

    def orders_per_incident(self, pattern: str) -> float:
        """Mean number of orders one incident of `pattern` places."""
        bounds = {"card_testing": self.card_testing_orders, "velocity_burst": self.velocity_orders}.get(pattern)
        return 1.0 if bounds is None else (bounds[0] + bounds[1]) / 2.0


@dataclass(frozen=True)
class FraudDay:
    """A day's tables with the fraud added, and the ground-truth label of every fraudulent order."""

    orders: pl.DataFrame
    order_items: pl.DataFrame
    sessions: pl.DataFrame
    events: pl.DataFrame
    labels: pl.DataFrame


def incident_counts(config: ShopConfig, day: dt.date, legitimate_orders: int, policy: FraudPolicy) -> dict[str, int]:
    """Incidents of each pattern on `day`, so that fraud is `policy.rate` of all orders on average.

    The expected count is rounded up or down against a threshold that walks a golden-ratio
    sequence over days (offset per seed and pattern) instead of an independent draw: over a
    range of days the roundings balance out, so even tiny days land close to the rate.
    """
    expected_orders = policy.rate / (1.0 - policy.rate) * legitimate_orders
    total_weight = sum(policy.pattern_weights.values())
    offsets = static_rng(config.seed, Stream.FRAUD).random(len(PATTERNS))
    counts = {}
    for offset, pattern in zip(offsets, PATTERNS, strict=True):
        share = policy.pattern_weights.get(pattern, 0.0) / total_weight
        expected = expected_orders * share / policy.orders_per_incident(pattern)
        threshold = (offset + day.toordinal() * _GOLDEN) % 1.0
        counts[pattern] = math.floor(expected + threshold) if expected > 0 else 0
    return counts


def inject_fraud(
    config: ShopConfig,
    day: dt.date,
    *,
    orders: pl.DataFrame,
    order_items: pl.DataFrame,
    sessions: pl.DataFrame,
    events: pl.DataFrame,
    customers: pl.DataFrame,
    products: pl.DataFrame,
    policy: FraudPolicy = FraudPolicy(),
) -> FraudDay:
    """The day's legitimate tables plus injected fraudulent orders, and their labels.

    `customers` holds the profiles of the customers alive on `day` (customer_id, country_code,
    city, latitude, longitude, device_id, card_id: their home and usual device and card);
    `products` the catalog (product_id, unit_price, unit_cost). Fraudulent rows are appended
    after the legitimate ones in the same columns; ids carry an `F` so they never collide.
    """
    counts = incident_counts(config, day, orders.height, policy)
    empty = FraudDay(orders, order_items, sessions, events, pl.DataFrame(schema=GROUND_TRUTH_CONTRACTS["fraud_labels"]))
    if sum(counts.values()) == 0 or customers.is_empty() or products.is_empty():
        return empty
    rng = day_rng(config.seed, Stream.FRAUD, day)
    context = DayContext.build(rng, policy, orders=orders, order_items=order_items, customers=customers)
    plans = [(pattern, PATTERN_BUILDERS[pattern](context, counts[pattern])) for pattern in PATTERNS if counts[pattern]]
    plans = [(pattern, plan) for pattern, plan in plans if plan.height > 0]
    if not plans:
        return empty
    plan = pl.concat([plan.with_columns(pl.lit(pattern).alias("pattern")) for pattern, plan in plans])
    rows = fraud_rows(rng, day, plan, products, policy=policy)
    return FraudDay(
        orders=pl.concat([orders, rows["orders"]], how="vertical"),
        order_items=pl.concat([order_items, rows["order_items"]], how="vertical"),
        sessions=pl.concat([sessions, rows["sessions"]], how="vertical"),
        events=pl.concat([events, rows["events"]], how="vertical"),
        labels=rows["labels"],
    )
