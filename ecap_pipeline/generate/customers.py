"""The customer population: who exists on a given day and what each customer is like.

Customers are numbered 1, 2, 3... in signup order. How many have signed up by a day comes from
one seeded draw of daily signup counts; every attribute of customer n comes from
`hashed_uniform(seed, n, field)`. So the customers of any day, and the attributes of any subset
of customers, are computed without generating anything else.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl
from faker import Faker

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.randomness import Stream, hashed_uniform, static_rng, weighted_pick
from ecap_pipeline.generate.reference import ACQUISITION_CHANNELS, CITIES, SEGMENTS
from ecap_pipeline.generate.timing import seconds_into_day

_HORIZON_DAYS = 366 * 30
_NAME_POOL_SIZE = 400
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")


class _Field:
    CITY = 1
    FIRST_NAME = 2
    LAST_NAME = 3
    CHANNEL = 4
    SEGMENT = 5
    SIGNUP_TIME = 6
    DOMAIN = 7


_CITY_COLUMNS: dict[str, npt.NDArray[np.generic]] = {
    column: np.array([getattr(city, column) for city in CITIES])
    for column in ("country_code", "region", "city", "latitude", "longitude")
}


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
    return ("C" + pl.Series(numbers).cast(pl.String).str.zfill(7)).alias("customer_id")


def customer_segments(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Index into `SEGMENTS` of each customer's behaviour segment."""
    return weighted_pick(hashed_uniform(config.seed, numbers, _Field.SEGMENT), list(SEGMENTS.values()))


def customer_city_indexes(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Index into `CITIES` of where each customer lives."""
    return weighted_pick(hashed_uniform(config.seed, numbers, _Field.CITY), [city.weight for city in CITIES])


def customer_channel_indexes(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Index into `ACQUISITION_CHANNELS` of how each customer first found the shop."""
    uniform = hashed_uniform(config.seed, numbers, _Field.CHANNEL)
    return weighted_pick(uniform, list(ACQUISITION_CHANNELS.values()))


def signup_seconds(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Seconds after midnight of each customer's signup; their first session starts then."""
    return seconds_into_day(hashed_uniform(config.seed, numbers, _Field.SIGNUP_TIME))


@lru_cache(maxsize=16)
def _name_pools(seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Small pools of first and last names; Faker runs once per pool entry, never per row."""
    faker = Faker("en_US")
    faker.seed_instance(int(static_rng(seed, Stream.NAMES).integers(2**31)))
    first = tuple(faker.first_name() for _ in range(_NAME_POOL_SIZE))
    last = tuple(faker.last_name() for _ in range(_NAME_POOL_SIZE))
    return first, last


def customers_for_day(config: ShopConfig, day: dt.date) -> pl.DataFrame:
    """The customers who sign up on `day`, with their profile as of signup."""
    numbers = customer_numbers_signed_up_on(config, day)
    seed = config.seed
    first_pool, last_pool = (np.array(pool) for pool in _name_pools(seed))
    first = first_pool[_pick_index(seed, numbers, _Field.FIRST_NAME, len(first_pool))]
    last = last_pool[_pick_index(seed, numbers, _Field.LAST_NAME, len(last_pool))]
    domain = np.array(_EMAIL_DOMAINS)[_pick_index(seed, numbers, _Field.DOMAIN, len(_EMAIL_DOMAINS))]
    cities = customer_city_indexes(config, numbers)
    seconds = signup_seconds(config, numbers)
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return pl.DataFrame(
        {
            "customer_id": customer_ids(numbers),
            "first_name": first,
            "last_name": last,
            "number": numbers,
            "domain": domain,
            "signup_at": pl.Series(seconds * 1_000_000, dtype=pl.Int64).cast(pl.Duration("us")),
            **{column: values[cities] for column, values in _CITY_COLUMNS.items()},
            "acquisition_channel": np.array(list(ACQUISITION_CHANNELS))[customer_channel_indexes(config, numbers)],
            "segment": np.array(list(SEGMENTS))[customer_segments(config, numbers)],
        },
    ).select(
        "customer_id",
        "first_name",
        "last_name",
        pl.format(
            "{}.{}{}@{}",
            pl.col("first_name").str.to_lowercase(),
            pl.col("last_name").str.to_lowercase().str.replace_all(r"[^a-z]", ""),
            pl.col("number"),
            pl.col("domain"),
        ).alias("email"),
        (pl.lit(midnight, dtype=pl.Datetime("us", "UTC")) + pl.col("signup_at")).alias("signup_at"),
        "country_code",
        "region",
        "city",
        "latitude",
        "longitude",
        "acquisition_channel",
        "segment",
    )


def _pick_index(seed: int, numbers: npt.NDArray[np.int64], field: int, size: int) -> npt.NDArray[np.int64]:
    return np.floor(hashed_uniform(seed, numbers, field) * size).astype(np.int64)
