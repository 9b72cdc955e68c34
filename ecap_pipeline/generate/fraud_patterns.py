"""The five fraud patterns, each as a plan of fraudulent orders that shows its rule's signature.

A plan row is one order to place: who (customer_id), when (`at`, seconds after midnight), from
where (country, latitude, longitude), with what (device, device_id, card_id, payment_method) and
what basket (`cheap`, `normal` or `expensive` with a `target_amount`). A null device_id or
card_id means "a new one, shared by the incident" and gets its id in `fraud_rows`.

Signatures, as the rules of the fraud engine see them:
- card_testing: 5+ one-line orders of the cheapest products on one new card and one new device
  within minutes, possibly across several accounts;
- account_takeover: a new device and a country other than the customer's, at >= 4x typical spend;
- impossible_travel: minutes away from the customer's real order, thousands of km away;
- velocity_burst: 4+ orders of one customer on their usual device within an hour;
- amount_outlier: one order at >= 12x the customer's typical spend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.generate.reference import CITIES, DEVICES

if TYPE_CHECKING:
    from ecap_pipeline.generate.fraud import FraudPolicy

PATTERNS: tuple[str, ...] = (
    "card_testing",
    "account_takeover",
    "impossible_travel",
    "velocity_burst",
    "amount_outlier",
)

EARLIEST_ORDER_SECOND = 900
"""Fraudulent orders fall after 00:15 so their session (a few minutes long) starts on the same day."""
LATEST_ORDER_SECOND = 86_340
"""... and before 23:59 so the session ends on the same day."""

_CITY_COUNTRY = np.array([city.country_code for city in CITIES])
_CITY_LAT = np.array([city.latitude for city in CITIES])
_CITY_LON = np.array([city.longitude for city in CITIES])
_DEVICE_TYPES = np.array(list(DEVICES))
_EARTH_RADIUS_KM = 6371.0


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km, element-wise (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass
class DayContext:
    """What every pattern needs to know about the day; hands out distinct victims in turn."""

    rng: np.random.Generator
    policy: FraudPolicy
    customers: pl.DataFrame
    legitimate: pl.DataFrame
    """The day's legitimate orders with their `amount` and the customer's `reference_amount`."""
    reference: npt.NDArray[np.float64]
    """Typical order amount of each customer in `customers`: the day's median, or more if they spent more."""
    victims: npt.NDArray[np.int64]
    cursor: int = 0

    @classmethod
    def build(
        cls,
        rng: np.random.Generator,
        policy: FraudPolicy,
        *,
        orders: pl.DataFrame,
        order_items: pl.DataFrame,
        customers: pl.DataFrame,
    ) -> DayContext:
        """Context of a day: legitimate order amounts, each customer's typical amount, a victim order."""
        amounts = order_items.group_by("order_id").agg(
            (pl.col("quantity") * pl.col("unit_price") - pl.col("discount_amount")).sum().alias("amount")
        )
        legitimate = orders.join(amounts, on="order_id", how="left").with_columns(pl.col("amount").fill_null(0.0))
        median = float(legitimate["amount"].median() or 0.0) or 1.0
        spent = legitimate.group_by("customer_id").agg(pl.col("amount").max().alias("spent"))
        reference = (
            customers.select("customer_id")
            .join(spent, on="customer_id", how="left")
            .select(pl.max_horizontal(pl.col("spent").fill_null(0.0), pl.lit(median)))
            .to_series()
            .to_numpy()
        )
        # Customers who already ordered today come last, so they stay free for impossible travel.
        ordered_today = customers["customer_id"].is_in(orders["customer_id"].implode()).to_numpy()
        shuffled = rng.permutation(customers.height)
        victims = shuffled[np.argsort(ordered_today[shuffled], kind="stable")]
        return cls(rng, policy, customers, legitimate, reference, victims.astype(np.int64))

    def take_victims(self, count: int) -> npt.NDArray[np.int64]:
        """Indices of the next `count` customers, each used once until all have been."""
        picked = self.victims[(self.cursor + np.arange(count)) % len(self.victims)]
        self.cursor += count
        return picked

    def order_seconds(self, count: int, *, span: float = 0.0) -> npt.NDArray[np.int64]:
        """Start times that leave `span` seconds for the rest of an incident within the day."""
        return self.rng.integers(EARLIEST_ORDER_SECOND, LATEST_ORDER_SECOND - int(span) + 1, size=count)

    def devices(self, count: int) -> npt.NDArray[np.str_]:
        """Device types (mobile, desktop, tablet) with the shop's mix."""
        weights = np.array(list(DEVICES.values()))
        return _DEVICE_TYPES[self.rng.choice(len(_DEVICE_TYPES), size=count, p=weights / weights.sum())]


def _plan(context: DayContext, victims: npt.NDArray[np.int64], **columns: object) -> pl.DataFrame:
    """Plan rows for `victims`, filled from their profile unless a column is given."""
    profile = context.customers[victims]
    defaults = {
        "customer_id": profile["customer_id"],
        "card_id": profile["card_id"],
        "device_id": profile["device_id"],
        "country_code": profile["country_code"],
        "latitude": profile["latitude"],
        "longitude": profile["longitude"],
        "payment_method": pl.repeat("credit_card", len(victims), eager=True),
        "target_amount": pl.repeat(0.0, len(victims), eager=True),
    }
    frame = pl.DataFrame({**defaults, **columns}, strict=False)
    return frame.with_columns(
        pl.col("card_id", "device_id", "country_code").cast(pl.String), pl.col("at").cast(pl.Int64)
    ).select(
        "incident", "customer_id", "at", "card_id", "device", "device_id", "country_code", "latitude", "longitude",
        "payment_method", "basket", "target_amount", "event_gap",
    )  # fmt: skip


def card_testing(context: DayContext, count: int) -> pl.DataFrame:
    """Bursts of tiny orders on one new card from one new device, spread over a few accounts."""
    rng, policy = context.rng, context.policy
    sizes = rng.integers(policy.card_testing_orders[0], policy.card_testing_orders[1] + 1, size=count)
    accounts = np.minimum(
        rng.integers(policy.card_testing_accounts[0], policy.card_testing_accounts[1] + 1, count), sizes
    )
    incident = np.repeat(np.arange(count), sizes)
    position = np.arange(len(incident)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    gaps = rng.uniform(*policy.card_testing_seconds_between, size=len(incident))
    gaps[position == 0] = 0.0
    offsets = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[np.cumsum(sizes) - sizes], sizes)
    start = context.order_seconds(count, span=float(np.max(offsets, initial=0.0)) + 1)
    first_account = np.cumsum(accounts) - accounts
    account_victims = context.take_victims(int(accounts.sum()))
    victims = account_victims[np.repeat(first_account, sizes) + position % np.repeat(accounts, sizes)]
    city = rng.integers(len(CITIES), size=count)[incident]
    return _plan(
        context, victims, incident=incident, at=np.repeat(start, sizes) + offsets.astype(np.int64),
        card_id=None, device=context.devices(count)[incident], device_id=None, country_code=_CITY_COUNTRY[city],
        latitude=_CITY_LAT[city], longitude=_CITY_LON[city], basket="cheap",
        event_gap=rng.uniform(1.0, 3.0, count)[incident],
    )  # fmt: skip


def account_takeover(context: DayContext, count: int) -> pl.DataFrame:
    """A customer's account on a new device from another country, spending several times their norm."""
    rng, policy = context.rng, context.policy
    victims = context.take_victims(count)
    home = context.customers["country_code"].to_numpy()[victims]
    # A random city outside the customer's home country: the highest random score among them.
    scores = np.where(_CITY_COUNTRY[None, :] != home[:, None], rng.random((count, len(CITIES))), -1.0)
    city = np.argmax(scores, axis=1)
    target = context.reference[victims] * policy.takeover_amount_multiplier * rng.uniform(1.0, 1.5, count)
    return _plan(
        context, victims, incident=np.arange(count), at=context.order_seconds(count), device=context.devices(count),
        device_id=None, country_code=_CITY_COUNTRY[city], latitude=_CITY_LAT[city], longitude=_CITY_LON[city],
        basket="expensive", target_amount=target, event_gap=rng.uniform(15.0, 60.0, count),
    )  # fmt: skip


def impossible_travel(context: DayContext, count: int) -> pl.DataFrame:
    """An order minutes away from the customer's real order of the day, thousands of km away."""
    rng, policy = context.rng, context.policy
    known = context.legitimate.filter(pl.col("customer_id").is_in(context.customers["customer_id"].implode()))
    anchors = known.unique("customer_id", keep="first", maintain_order=True)
    if anchors.is_empty():
        return pl.DataFrame()
    anchors = anchors[rng.permutation(anchors.height)[: min(count, anchors.height)]]
    count = anchors.height
    ordered_at = anchors["ordered_at"]
    anchor_at = (ordered_at - ordered_at.dt.truncate("1d")).dt.total_seconds().cast(pl.Int64).to_numpy()
    gap = np.round(rng.uniform(*policy.travel_gap_minutes, size=count) * 60).astype(np.int64)
    at = np.where(rng.random(count) < 0.5, anchor_at + gap, anchor_at - gap)
    at = np.where((at < EARLIEST_ORDER_SECOND) | (at > LATEST_ORDER_SECOND), 2 * anchor_at - at, at)
    at = np.clip(at, EARLIEST_ORDER_SECOND, LATEST_ORDER_SECOND)
    lat, lon = anchors["latitude"].to_numpy(), anchors["longitude"].to_numpy()
    distance = haversine_km(lat[:, None], lon[:, None], _CITY_LAT[None, :], _CITY_LON[None, :])
    needed = np.maximum(np.abs(at - anchor_at), 60) / 3600.0 * policy.travel_min_speed_kmh
    scores = np.where(distance > needed[:, None], rng.random(distance.shape), -1.0)
    # Where no city is far enough (never with the shop's cities and gaps), take the farthest.
    city = np.where(scores.max(axis=1) >= 0.0, np.argmax(scores, axis=1), np.argmax(distance, axis=1))
    rows = context.customers.select("customer_id").with_row_index("row")
    victims = anchors.select("customer_id").join(rows, on="customer_id", how="left", maintain_order="left")["row"]
    return _plan(
        context, victims.to_numpy().astype(np.int64), incident=np.arange(count), at=at, card_id=anchors["card_id"],
        device=context.devices(count), device_id=None, country_code=_CITY_COUNTRY[city], latitude=_CITY_LAT[city],
        longitude=_CITY_LON[city], basket="normal", event_gap=rng.uniform(15.0, 60.0, count),
    )  # fmt: skip


def velocity_burst(context: DayContext, count: int) -> pl.DataFrame:
    """Several orders of one customer on their usual device and card within an hour."""
    rng, policy = context.rng, context.policy
    sizes = rng.integers(policy.velocity_orders[0], policy.velocity_orders[1] + 1, size=count)
    incident = np.repeat(np.arange(count), sizes)
    window = policy.velocity_window_minutes * 60.0
    start = context.order_seconds(count, span=window)
    offsets = (rng.random(len(incident)) * window).astype(np.int64)
    victims = context.take_victims(count)[incident]
    return _plan(
        context, victims, incident=incident, at=start[incident] + offsets, device=context.devices(count)[incident],
        basket="normal", event_gap=rng.uniform(10.0, 40.0, len(incident)),
    )  # fmt: skip


def amount_outlier(context: DayContext, count: int) -> pl.DataFrame:
    """One order far above what the customer usually spends, on their own device and card."""
    rng, policy = context.rng, context.policy
    victims = context.take_victims(count)
    target = context.reference[victims] * policy.outlier_amount_multiplier * rng.uniform(1.0, 1.5, count)
    return _plan(
        context, victims, incident=np.arange(count), at=context.order_seconds(count), device=context.devices(count),
        basket="expensive", target_amount=target, event_gap=rng.uniform(15.0, 60.0, count),
    )  # fmt: skip


PATTERN_BUILDERS: dict[str, Callable[[DayContext, int], pl.DataFrame]] = {
    "card_testing": card_testing,
    "account_takeover": account_takeover,
    "impossible_travel": impossible_travel,
    "velocity_burst": velocity_burst,
    "amount_outlier": amount_outlier,
}
