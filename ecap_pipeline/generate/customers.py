"""Customer records: the bronze `customers` rows, their latent lifetimes and profiles for other modules.

Everything here is a pure function of (config, customer numbers), so marketing and fraud code can
ask for any customer's home, usual device and usual card without generating anything else. The
population itself (who exists and is alive on a day) lives in `population`; its public helpers
are re-exported here so callers need one import.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl
from faker import Faker

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.ids import fingerprints
from ecap_pipeline.generate.population import (
    Field,
    alive_customer_numbers,
    customer_channel_indexes,
    customer_city_indexes,
    customer_dropout_offsets,
    customer_ids,
    customer_numbers_signed_up_on,
    customer_segments,
    customers_signed_up_by,
    signup_seconds,
)
from ecap_pipeline.generate.randomness import Stream, hashed_integers, hashed_uniform, static_rng
from ecap_pipeline.generate.reference import ACQUISITION_CHANNELS, CITIES

__all__ = [
    "alive_customer_numbers",
    "customer_bank_account_ids",
    "customer_card_ids",
    "customer_device_ids",
    "customer_ids",
    "customer_lifetimes_for_day",
    "customer_numbers_signed_up_on",
    "customer_profiles",
    "customers_for_day",
    "customers_signed_up_by",
    "dropout_instants",
]

_NAME_POOL_SIZE = 400
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
_FINGERPRINT_DIGITS = 12
_CITY_COLUMNS: dict[str, npt.NDArray[np.generic]] = {
    column: np.array([getattr(city, column) for city in CITIES])
    for column in ("country_code", "region", "city", "latitude", "longitude")
}
_UTC_MICROSECONDS = pl.Datetime("us", "UTC")
_EPOCH = dt.date(1970, 1, 1)
_MICROSECONDS_PER_DAY = 86_400 * 1_000_000


def customer_device_ids(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.str_]:
    """Each customer's usual device id; orders placed from it carry this `device_id`."""
    digits = hashed_integers(config.seed, numbers, Field.DEVICE, digits=_FINGERPRINT_DIGITS)
    return fingerprints("D", digits, name="device_id").to_numpy()


def customer_card_ids(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.str_]:
    """Each customer's usual payment card fingerprint; card and wallet payments carry this `card_id`."""
    digits = hashed_integers(config.seed, numbers, Field.CARD, digits=_FINGERPRINT_DIGITS)
    return fingerprints("K", digits, name="card_id").to_numpy()


def customer_bank_account_ids(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.str_]:
    """Each customer's bank account fingerprint, the `card_id` of their bank transfers."""
    digits = hashed_integers(config.seed, numbers, Field.BANK_ACCOUNT, digits=_FINGERPRINT_DIGITS)
    return fingerprints("B", digits, name="bank_account_id").to_numpy()


def dropout_instants(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> pl.Series:
    """Midnight (UTC) of each customer's dropout day: from then on they never act again."""
    days_since_epoch = (config.opening_date - _EPOCH).days + customer_dropout_offsets(config, numbers)
    return pl.Series("dropout_at", days_since_epoch * _MICROSECONDS_PER_DAY, dtype=pl.Int64).cast(_UTC_MICROSECONDS)


def customer_profiles(config: ShopConfig, numbers: npt.NDArray[np.int64]) -> pl.DataFrame:
    """Home, segment, usual device and card, and dropout instant of the given customers."""
    cities = customer_city_indexes(config, numbers)
    segment_names = np.array([segment.name for segment in config.behaviour.segments])
    return pl.DataFrame(
        {
            "customer_id": customer_ids(numbers),
            "segment": segment_names[customer_segments(config, numbers)],
            **{column: _CITY_COLUMNS[column][cities] for column in ("country_code", "city", "latitude", "longitude")},
            "device_id": customer_device_ids(config, numbers),
            "card_id": customer_card_ids(config, numbers),
            "dropout_at": dropout_instants(config, numbers),
        },
        schema_overrides={"device_id": pl.String, "card_id": pl.String},
    )


def customer_lifetimes_for_day(config: ShopConfig, day: dt.date) -> pl.DataFrame:
    """Ground truth of the customers who sign up on `day`: segment, signup and dropout instants."""
    return (
        customers_for_day(config, day)
        .select("customer_id", "segment", "signup_at")
        .with_columns(dropout_instants(config, customer_numbers_signed_up_on(config, day)))
    )


@lru_cache(maxsize=16)
def _name_pools(seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Small pools of first and last names; Faker runs once per pool entry, never per row."""
    faker = Faker("en_US")
    faker.seed_instance(int(static_rng(seed, Stream.NAMES).integers(2**31)))
    first = tuple(faker.first_name() for _ in range(_NAME_POOL_SIZE))
    last = tuple(faker.last_name() for _ in range(_NAME_POOL_SIZE))
    return first, last


@lru_cache(maxsize=4)
def customers_for_day(config: ShopConfig, day: dt.date) -> pl.DataFrame:
    """The customers who sign up on `day`, with their profile as of signup (the day's two callers share one)."""
    numbers = customer_numbers_signed_up_on(config, day)
    seed = config.seed
    first_pool, last_pool = (np.array(pool) for pool in _name_pools(seed))
    first = first_pool[_pick_index(seed, numbers, Field.FIRST_NAME, len(first_pool))]
    last = last_pool[_pick_index(seed, numbers, Field.LAST_NAME, len(last_pool))]
    domain = np.array(_EMAIL_DOMAINS)[_pick_index(seed, numbers, Field.DOMAIN, len(_EMAIL_DOMAINS))]
    cities = customer_city_indexes(config, numbers)
    seconds = signup_seconds(config, numbers)
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    segment_names = np.array([segment.name for segment in config.behaviour.segments])
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
            "segment": segment_names[customer_segments(config, numbers)],
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
        (pl.lit(midnight, dtype=_UTC_MICROSECONDS) + pl.col("signup_at")).alias("signup_at"),
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
