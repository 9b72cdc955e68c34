"""What happens inside each session: clickstream events that follow the shopping funnel.

page views and searches → product views → add to cart → view cart → checkout → purchase, with a
drop-off at every step. Everything is drawn for all sessions of a day at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.randomness import Stream, day_rng
from ecap_pipeline.generate.reference import SEGMENT_PURCHASE_PROPENSITY


@dataclass(frozen=True)
class FunnelRates:
    """Probabilities and means that shape a session."""

    login: float = 0.6
    extra_page_views: float = 1.2
    search: float = 0.35
    product_views: float = 2.2
    add_to_cart_per_view: float = 0.10
    view_cart: float = 0.75
    checkout: float = 0.55
    purchase: float = 0.70
    extra_quantity: float = 0.25
    mean_seconds_between_events: float = 45.0


# Sort keys: where an event type sits within a session. Product views and cart adds interleave.
_FIRST, _PAGE, _SEARCH, _PRODUCT, _CART_VIEW, _CHECKOUT, _PURCHASE = 0, 1, 2, 10, 10_000, 10_001, 10_002


def funnel_events(
    config: ShopConfig,
    day: dt.date,
    sessions: pl.DataFrame,
    popularity: npt.NDArray[np.float64],
    *,
    rates: FunnelRates = FunnelRates(),
) -> pl.DataFrame:
    """Events of every session in `sessions` (as made by `session_starts`), in time order.

    `popularity` holds each catalog product's probability of being viewed. Returns session_id,
    customer_id, event_type, event_at, product_index (-1 when not about a product), quantity.
    """
    rng = day_rng(config.seed, Stream.FUNNEL, day)
    count = sessions.height
    index = np.arange(count)
    propensity = np.array(list(SEGMENT_PURCHASE_PROPENSITY.values()))[sessions["segment_index"].to_numpy()]
    is_signup = sessions["is_signup"].to_numpy()

    parts = [
        _rows(index[is_signup], "signup", _FIRST),
        _rows(index[~is_signup & (rng.random(count) < rates.login)], "login", _FIRST),
        _rows(np.repeat(index, 1 + rng.poisson(rates.extra_page_views, count)), "page_view", _PAGE),
        _rows(index[rng.random(count) < rates.search], "search", _SEARCH),
    ]

    views = np.repeat(index, rng.poisson(rates.product_views, count))
    viewed_product = rng.choice(len(popularity), size=len(views), p=popularity)
    position = _position_within(views)
    parts.append(_rows(views, "product_view", _PRODUCT + 2 * position, viewed_product))
    carted = rng.random(len(views)) < np.minimum(rates.add_to_cart_per_view * propensity[views], 0.9)
    quantity = 1 + rng.poisson(rates.extra_quantity, int(carted.sum()))
    parts.append(
        _rows(views[carted], "add_to_cart", _PRODUCT + 2 * position[carted] + 1, viewed_product[carted], quantity)
    )

    has_cart = np.zeros(count, dtype=bool)
    has_cart[views[carted]] = True
    cart_sessions = index[has_cart]
    parts.append(_rows(cart_sessions[rng.random(len(cart_sessions)) < rates.view_cart], "view_cart", _CART_VIEW))
    checkout_probability = np.minimum(rates.checkout * propensity[cart_sessions], 0.95)
    checkout_sessions = cart_sessions[rng.random(len(cart_sessions)) < checkout_probability]
    parts.append(_rows(checkout_sessions, "begin_checkout", _CHECKOUT))
    purchase_sessions = checkout_sessions[rng.random(len(checkout_sessions)) < rates.purchase]
    parts.append(_rows(purchase_sessions, "purchase", _PURCHASE))

    events = pl.concat(parts).sort("session_index", "sort_key")
    gaps = rng.exponential(rates.mean_seconds_between_events, events.height)
    return (
        events.with_columns(gap=pl.Series(np.round(gaps * 1_000_000).astype(np.int64)))
        .with_columns(
            offset=(pl.col("gap").cum_sum().over("session_index") - pl.col("gap").first().over("session_index"))
        )
        .join(
            sessions.select(
                pl.int_range(pl.len(), dtype=pl.Int64).alias("session_index"),
                "session_id",
                "customer_id",
                "started_at",
            ),
            on="session_index",
            how="left",
        )
        .select(
            "session_id",
            "customer_id",
            "event_type",
            pl.min_horizontal(
                pl.col("started_at") + pl.duration(microseconds=pl.col("offset")),
                pl.lit(_last_instant(day), dtype=pl.Datetime("us", "UTC")),
            ).alias("event_at"),
            "product_index",
            "quantity",
        )
        .sort("event_at", "session_id", maintain_order=True)
    )


def _last_instant(day: dt.date) -> dt.datetime:
    """Sessions are cut at midnight so every event lands in the partition of its own day."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


def _rows(
    session_index: npt.NDArray[np.int64],
    event_type: str,
    sort_key: int | npt.NDArray[np.int64],
    product_index: npt.NDArray[np.int64] | None = None,
    quantity: npt.NDArray[np.int64] | None = None,
) -> pl.DataFrame:
    size = len(session_index)
    return pl.DataFrame(
        {
            "session_index": session_index.astype(np.int64),
            "sort_key": np.broadcast_to(np.asarray(sort_key, dtype=np.int64), (size,)),
            "event_type": np.full(size, event_type),
            "product_index": np.full(size, -1, dtype=np.int64) if product_index is None else product_index,
            "quantity": pl.Series(quantity, dtype=pl.Int32)
            if quantity is not None
            else pl.repeat(None, size, dtype=pl.Int32, eager=True),
        },
        schema={
            "session_index": pl.Int64,
            "sort_key": pl.Int64,
            "event_type": pl.String,
            "product_index": pl.Int64,
            "quantity": pl.Int32,
        },
    )


def _position_within(groups: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """0, 1, 2... within each run of equal values of a sorted array."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    run_lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, run_lengths)
