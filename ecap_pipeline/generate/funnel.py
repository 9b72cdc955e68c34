"""What happens inside each session: clickstream events that follow the shopping funnel.

signup or login → page views, a search, maybe a review → product views, each possibly followed by
an add to cart or wishlist → view cart → removals → checkout → shipping → payment → purchase,
with a drop-off at every step. All sessions of a day are drawn at once in numpy; polars only
sees the finished columns.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.generate.calendar import purchase_factor
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.ids import labels
from ecap_pipeline.generate.randomness import Stream, day_rng

EVENT_TYPES: tuple[str, ...] = (
    "signup",
    "login",
    "page_view",
    "search",
    "write_review",
    "product_view",
    "add_to_cart",
    "add_to_wishlist",
    "view_cart",
    "remove_from_cart",
    "begin_checkout",
    "add_shipping_info",
    "add_payment_info",
    "purchase",
)
"""The 14 event types; an event's code is its index here."""
_CODE = {name: code for code, name in enumerate(EVENT_TYPES)}

# Where an event sits within its session. A product's view, cart add and wishlist add follow
# each other; the cart steps come after the last product view, in funnel order.
_PRODUCT_KEY, _PRODUCT_STRIDE = 10, 4
_CART_KEY = 1 << 20
_SESSION_SHIFT = 21
_MICROSECONDS = 1_000_000


class _Events:
    """Column parts of the day's events, gathered step by step, then arranged in one sort."""

    def __init__(self) -> None:
        self.parts: list[tuple[npt.NDArray[np.int64], ...]] = []

    def add(
        self,
        sessions: npt.NDArray[np.int64],
        event_type: str,
        key: int | npt.NDArray[np.int64],
        product: npt.NDArray[np.int64] | None = None,
        quantity: npt.NDArray[np.int64] | None = None,
    ) -> None:
        size = len(sessions)
        self.parts.append(
            (
                sessions,
                np.broadcast_to(np.asarray(key, dtype=np.int64), (size,)),
                np.full(size, _CODE[event_type], dtype=np.int64),
                np.full(size, -1, dtype=np.int64) if product is None else product,
                np.zeros(size, dtype=np.int64) if quantity is None else quantity,
            )
        )

    def arranged(self) -> tuple[npt.NDArray[np.int64], ...]:
        """(session, code, product, quantity), sorted by session and then position in the session."""
        session, key, code, product, quantity = (np.concatenate(column) for column in zip(*self.parts, strict=True))
        order = np.argsort((session << _SESSION_SHIFT) | key, kind="stable")
        return session[order], code[order], product[order], quantity[order]


def funnel_events(
    config: ShopConfig, day: dt.date, sessions: pl.DataFrame, popularity: npt.NDArray[np.float64]
) -> pl.DataFrame:
    """Events of every session in `sessions` (as made by `session_starts`), session by session in time order.

    `popularity` holds each catalog product's probability of being viewed. Returns session_id,
    customer_id, event_type, event_at, product_index (null when not about a product), quantity
    (units added or removed; null for other events).
    """
    rates = config.behaviour.funnel
    rng = day_rng(config.seed, Stream.FUNNEL, day)
    count = sessions.height
    index = np.arange(count, dtype=np.int64)
    segment = sessions["segment_index"].to_numpy()
    sale = purchase_factor(config.behaviour, day)
    propensity = np.array([s.purchase_propensity for s in config.behaviour.segments])[segment] * sale
    basket = np.array([s.basket_factor for s in config.behaviour.segments])[segment]
    is_signup = sessions["is_signup"].to_numpy()
    events = _Events()

    events.add(index[is_signup], "signup", 0)
    events.add(index[~is_signup & (rng.random(count) < rates.login)], "login", 0)
    events.add(np.repeat(index, 1 + rng.poisson(rates.extra_page_views, count)), "page_view", 1)
    events.add(index[rng.random(count) < rates.search], "search", 2)
    reviewers = index[~is_signup & (rng.random(count) < rates.write_review)]
    events.add(reviewers, "write_review", 3, rng.choice(len(popularity), size=len(reviewers), p=popularity))

    views = np.repeat(index, rng.poisson(rates.product_views * basket, count))
    product = rng.choice(len(popularity), size=len(views), p=popularity)
    view_key = _PRODUCT_KEY + _PRODUCT_STRIDE * _position_within(views)
    events.add(views, "product_view", view_key, product)
    carted = rng.random(len(views)) < np.minimum(rates.add_to_cart_per_view * propensity[views], 0.9)
    quantity = 1 + rng.poisson(rates.extra_quantity * basket[views] * sale)
    events.add(views[carted], "add_to_cart", view_key[carted] + 1, product[carted], quantity[carted])
    wished = ~carted & (rng.random(len(views)) < rates.add_to_wishlist_per_view)
    events.add(views[wished], "add_to_wishlist", view_key[wished] + 2, product[wished])

    cart_session, cart_product, cart_quantity = views[carted], product[carted], quantity[carted]
    has_cart = np.bincount(cart_session, minlength=count) > 0
    events.add(index[has_cart & (rng.random(count) < rates.view_cart)], "view_cart", _CART_KEY)
    removed = rng.random(len(cart_session)) < rates.remove_from_cart
    events.add(cart_session[removed], "remove_from_cart", _CART_KEY + 1, cart_product[removed], cart_quantity[removed])
    still_in_cart = np.bincount(cart_session[~removed], minlength=count) > 0
    checkout_probability = np.minimum(rates.begin_checkout * propensity, 0.95)
    reached = still_in_cart & (rng.random(count) < checkout_probability)
    for offset, step in enumerate(("begin_checkout", "add_shipping_info", "add_payment_info", "purchase"), start=2):
        if offset > 2:
            reached &= rng.random(count) < getattr(rates, step)
        events.add(index[reached], step, _CART_KEY + offset)
    session, code, product, quantity = events.arranged()
    return _frame(config, day, sessions, rng, arranged=(session, code, product, quantity))


def _frame(
    config: ShopConfig,
    day: dt.date,
    sessions: pl.DataFrame,
    rng: np.random.Generator,
    *,
    arranged: tuple[npt.NDArray[np.int64], ...],
) -> pl.DataFrame:
    """Timestamps and columns: each event a random pause after the previous one, cut at midnight."""
    session, code, product, quantity = arranged
    gaps = np.round(rng.exponential(config.behaviour.funnel.mean_seconds_between_events * _MICROSECONDS, len(session)))
    elapsed = np.cumsum(gaps.astype(np.int64))
    starts = np.flatnonzero(np.r_[True, session[1:] != session[:-1]]) if len(session) else np.zeros(0, np.int64)
    since_start = elapsed - np.repeat(elapsed[starts], np.diff(np.r_[starts, len(session)]))
    started = sessions["started_at"].dt.epoch("us").to_numpy()
    last_instant = ((day - dt.date(1970, 1, 1)).days + 1) * 86_400 * _MICROSECONDS - 1
    event_at = np.minimum(started[session] + since_start, last_instant)
    return pl.DataFrame(
        [
            sessions["session_id"].gather(session),
            sessions["customer_id"].gather(session),
            labels(EVENT_TYPES, code, name="event_type"),
            pl.Series("event_at", event_at).cast(pl.Datetime("us", "UTC")),
            pl.Series("product_index", product),
            pl.Series("quantity", quantity, dtype=pl.Int32),
        ]
    ).with_columns(
        pl.when(pl.col("product_index") >= 0).then("product_index").alias("product_index"),
        pl.when(pl.col("quantity") > 0).then("quantity").alias("quantity"),
    )


def _position_within(groups: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """0, 1, 2... within each run of equal values of a sorted array."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    run_lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, run_lengths)
