"""Who visits the shop on a day, and how each visit starts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.customers import (
    customer_channel_indexes,
    customer_city_indexes,
    customer_ids,
    customer_numbers_signed_up_on,
    customer_segments,
    customers_signed_up_by,
    signup_seconds,
)
from ecap_pipeline.generate.randomness import Stream, day_rng
from ecap_pipeline.generate.reference import ACQUISITION_CHANNELS, CITIES, DEVICES, SEGMENT_VISIT_PROBABILITY
from ecap_pipeline.generate.timing import seconds_into_day

_KEEP_ACQUISITION_CHANNEL = 0.5
"""Share of visits that come through the channel that first brought the customer."""


def session_starts(config: ShopConfig, day: dt.date) -> pl.DataFrame:
    """One row per session on `day`: customer, start time, device, channel, country, segment.

    Existing customers visit with their segment's daily probability (scaled by the calendar);
    every customer who signs up that day does so in a session that starts at their `signup_at`.
    """
    rng = day_rng(config.seed, Stream.SESSIONS, day)
    existing = np.arange(1, customers_signed_up_by(config, day - dt.timedelta(days=1)) + 1, dtype=np.int64)
    visit_probability = np.array(list(SEGMENT_VISIT_PROBABILITY.values()))[customer_segments(config, existing)]
    rate = visit_probability * config.scale.visit_rate_multiplier * config.activity_factor(day)
    visits = rng.poisson(rate)
    signups = customer_numbers_signed_up_on(config, day)
    numbers = np.concatenate([np.repeat(existing, visits), signups])
    is_signup = np.concatenate([np.zeros(int(visits.sum()), dtype=bool), np.ones(len(signups), dtype=bool)])
    count = len(numbers)

    seconds = seconds_into_day(rng.random(count))
    seconds[is_signup] = signup_seconds(config, signups)
    devices = np.array(list(DEVICES))[rng.choice(len(DEVICES), size=count, p=_probabilities(DEVICES))]
    channel_names = np.array(list(ACQUISITION_CHANNELS))
    random_channel = rng.choice(len(channel_names), size=count, p=_probabilities(ACQUISITION_CHANNELS))
    keep = rng.random(count) < _KEEP_ACQUISITION_CHANNEL
    channels = channel_names[np.where(keep, customer_channel_indexes(config, numbers), random_channel)]
    countries = np.array([city.country_code for city in CITIES])[customer_city_indexes(config, numbers)]
    order = np.lexsort((numbers, seconds))
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return pl.DataFrame(
        {
            "customer_id": customer_ids(numbers[order]),
            "started_at": pl.Series(seconds[order] * 1_000_000).cast(pl.Duration("us")),
            "device": devices[order],
            "channel": channels[order],
            "country_code": countries[order],
            "segment_index": customer_segments(config, numbers[order]),
            "is_signup": is_signup[order],
        }
    ).with_columns(
        pl.format(
            "S{}-{}", pl.lit(day.strftime("%Y%m%d")), pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(6)
        ).alias("session_id"),
        (pl.lit(midnight, dtype=pl.Datetime("us", "UTC")) + pl.col("started_at")).alias("started_at"),
    )


def _probabilities(weights: dict[str, float]) -> np.ndarray:
    values = np.array(list(weights.values()), dtype=np.float64)
    return values / values.sum()
