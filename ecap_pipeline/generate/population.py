"""The customer population: who exists on a given day and what each customer is like.

Customers are numbered 1, 2, 3... in signup order. How many have signed up by a day comes from
one seeded draw of daily signup counts; every attribute of customer n comes from
`hashed_uniform(seed, n, field)`. So the customers of any day, and the attributes of any subset
of customers, are computed without generating anything else.

Every customer also has a latent lifetime: from the midnight of their dropout day on they never
visit or order again. It is the ground truth the churn model is judged against.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.ids import zero_padded
from ecap_pipeline.generate.randomness import Stream, hashed_uniform, static_rng, weighted_pick
from ecap_pipeline.generate.reference import ACQUISITION_CHANNELS, CITIES
from ecap_pipeline.generate.timing import seconds_into_day

_HORIZON_DAYS = 366 * 30


class Field:
    """`hashed_uniform` fields of a customer's fixed attributes; each number is used once."""

    CITY = 1
    FIRST_NAME = 2
    LAST_NAME = 3
    CHANNEL = 4
    SEGMENT = 5
    SIGNUP_TIME = 6
    DOMAIN = 7
    LIFETIME = 8
    DEVICE = 9
    CARD = 10
    BANK_ACCOUNT = 11


@lru_cache(maxsize=16)
def _cumulative_signups(config: ShopConfig) -> npt.NDArray[np.int64]:
    """Customers signed up by the end of each day since opening, for the whole horizon."""
    opening = config.opening_date
    days = [opening + dt.timedelta(days=offset) for offset in range(_HORIZON_DAYS)]
    expected = np.array([config.scale.signups_per_day * config.activity_factor(day) for day in days])
    counts = static_rng(config.seed, Stream.SIGNUPS).poisson(expected)
    counts[0] += config.scale.initial_customers
    return np.cumsum(counts)


def customers_signed_up_by(config: ShopConfig, day: dt.date) -> int:
    """How many customers exist at the end of `day` (0 before opening)."""
    offset = config.days_open(day)
    if offset < 0:
        return 0
    if offset >= _HORIZON_DAYS:
        msg = f"day {day} is more than {_HORIZON_DAYS} days after opening {config.opening_date}"
        raise ValueError(msg)
    return int(_cumulative_signups(config)[offset])


def customer_numbers_signed_up_on(config: ShopConfig, day: dt.date) -> npt.NDArray[np.int64]:
    """Numbers of the customers whose signup day is `day`."""
    before = customers_signed_up_by(config, day - dt.timedelta(days=1))
    return np.arange(before + 1, customers_signed_up_by(config, day) + 1, dtype=np.int64)


def customer_ids(numbers: npt.NDArray[np.int64]) -> pl.Series:
    """Stable string ids (`C0000042`) for customer numbers."""
    return zero_padded("C", pl.Series(numbers, dtype=pl.Int64), width=7).alias("customer_id")


def customer_segments(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Index into `config.behaviour.segments` of each customer's behaviour segment."""
    shares = [segment.share for segment in config.behaviour.segments]
    return weighted_pick(hashed_uniform(config.seed, numbers, Field.SEGMENT), shares)


def customer_city_indexes(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Index into `CITIES` of where each customer lives."""
    return weighted_pick(hashed_uniform(config.seed, numbers, Field.CITY), [city.weight for city in CITIES])


def customer_channel_indexes(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Index into `ACQUISITION_CHANNELS` of how each customer first found the shop."""
    uniform = hashed_uniform(config.seed, numbers, Field.CHANNEL)
    return weighted_pick(uniform, list(ACQUISITION_CHANNELS.values()))


def signup_seconds(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Seconds after midnight of each customer's signup; their first session starts then."""
    return seconds_into_day(hashed_uniform(config.seed, numbers, Field.SIGNUP_TIME))


def customer_signup_offsets(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Days between opening and each customer's signup day."""
    return np.searchsorted(_cumulative_signups(config), numbers, side="left").astype(np.int64)


def customer_dropout_offsets(
    config: ShopConfig, numbers: npt.NDArray[np.int64], *, signup_offsets: npt.NDArray[np.int64] | None = None
) -> npt.NDArray[np.int64]:
    """Days between opening and the first day each customer is gone for good.

    The lifetime is exponential (whole days, at least the signup day itself) with the mean of the
    customer's segment, so power customers stay for years and many new customers for weeks.
    `signup_offsets` may be passed when the caller already knows them.
    """
    if signup_offsets is None:
        signup_offsets = customer_signup_offsets(config, numbers)
    means = np.array([segment.mean_lifetime_days for segment in config.behaviour.segments])
    mean = means[customer_segments(config, numbers)]
    lifetime = np.floor(-mean * np.log1p(-hashed_uniform(config.seed, numbers, Field.LIFETIME)))
    return signup_offsets + 1 + lifetime.astype(np.int64)


def alive_customer_numbers(config: ShopConfig, day: dt.date) -> npt.NDArray[np.int64]:
    """Customers who signed up before `day` and have not dropped out by its start."""
    offset = config.days_open(day)
    if offset <= 0:
        return np.zeros(0, dtype=np.int64)
    existing = int(_cumulative_signups(config)[offset - 1])
    dropouts = _first_dropout_offsets(config, _bucket(existing))[:existing]
    return np.flatnonzero(dropouts > offset) + 1


def _bucket(count: int) -> int:
    """The power of two at or above `count`: customers of many days share one cached prefix."""
    return 1 << max(count - 1, 0).bit_length()


@lru_cache(maxsize=16)
def _first_dropout_offsets(config: ShopConfig, count: int) -> npt.NDArray[np.int64]:
    """Dropout offsets of customers 1..`count` (read-only), computed once per process for many days.

    A customer's dropout day is fixed for life, so every day of a run reads the same prefix
    instead of recomputing the lifetimes of every customer who ever signed up.
    """
    numbers = np.arange(1, min(count, int(_cumulative_signups(config)[-1])) + 1, dtype=np.int64)
    offsets = customer_dropout_offsets(config, numbers)
    offsets.flags.writeable = False
    return offsets
