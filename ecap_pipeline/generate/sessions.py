"""Who visits the shop on a day, and how each visit starts: device, browser, channel, referrer."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.ids import labels, sequential_ids
from ecap_pipeline.generate.population import (
    alive_customer_numbers,
    customer_channel_indexes,
    customer_city_indexes,
    customer_ids,
    customer_numbers_signed_up_on,
    customer_segments,
    signup_seconds,
)
from ecap_pipeline.generate.randomness import Stream, day_rng, grouped_pick, weighted_pick
from ecap_pipeline.generate.reference import (
    ACQUISITION_CHANNELS,
    BROWSER_WEIGHTS_BY_DEVICE,
    BROWSERS,
    CITIES,
    DEVICES,
    REFERRERS_BY_CHANNEL,
)
from ecap_pipeline.generate.timing import seconds_into_day

_CHANNELS = list(ACQUISITION_CHANNELS)
_REFERRER_HOSTS = [host for channel in _CHANNELS for host in REFERRERS_BY_CHANNEL[channel]]
_REFERRER_WIDTH = max(len(hosts) for hosts in REFERRERS_BY_CHANNEL.values())
_REFERRER_WEIGHTS = [
    [*REFERRERS_BY_CHANNEL[channel].values(), *[0.0] * (_REFERRER_WIDTH - len(REFERRERS_BY_CHANNEL[channel]))]
    for channel in _CHANNELS
]
_FIRST_REFERRER = np.cumsum([0] + [len(REFERRERS_BY_CHANNEL[channel]) for channel in _CHANNELS])[:-1]
_COUNTRIES = np.array([city.country_code for city in CITIES])


def session_starts(config: ShopConfig, day: dt.date) -> pl.DataFrame:
    """One row per session on `day`, in start order, with the customer, device, browser, channel and referrer.

    Customers alive at the start of the day visit with their segment's daily probability (scaled
    by the calendar); every customer who signs up that day does so in a session that starts at
    their `signup_at`. Columns beyond the bronze contract (customer_number, segment_index,
    is_signup) feed the funnel and the orders. `campaign_id` stays null: the marketing module
    attributes sessions to campaigns.
    """
    rng = day_rng(config.seed, Stream.SESSIONS, day)
    behaviour = config.behaviour
    existing = alive_customer_numbers(config, day)
    visit_probability = np.array([segment.visit_probability for segment in behaviour.segments])
    rate = visit_probability[customer_segments(config, existing)]
    visits = rng.poisson(rate * (config.scale.visit_rate_multiplier * config.activity_factor(day)))
    signups = customer_numbers_signed_up_on(config, day)
    numbers = np.concatenate([np.repeat(existing, visits), signups])
    is_signup = np.concatenate([np.zeros(len(numbers) - len(signups), dtype=bool), np.ones(len(signups), dtype=bool)])
    count = len(numbers)

    seconds = seconds_into_day(rng.random(count))
    seconds[is_signup] = signup_seconds(config, signups)
    order = np.lexsort((numbers, seconds))
    numbers, seconds, is_signup = numbers[order], seconds[order], is_signup[order]
    device = weighted_pick(rng.random(count), list(DEVICES.values()))
    browser = grouped_pick(rng.random(count), device, [BROWSER_WEIGHTS_BY_DEVICE[name] for name in DEVICES])
    keep = rng.random(count) < behaviour.keep_acquisition_channel
    channel = np.where(
        keep,
        customer_channel_indexes(config, numbers),
        weighted_pick(rng.random(count), list(ACQUISITION_CHANNELS.values())),
    )
    referrer = _FIRST_REFERRER[channel] + grouped_pick(rng.random(count), channel, _REFERRER_WEIGHTS)
    midnight_us = (day - dt.date(1970, 1, 1)).days * 86_400 * 1_000_000
    return pl.DataFrame(
        [
            sequential_ids("S", day, count, width=6, name="session_id"),
            customer_ids(numbers),
            pl.Series("customer_number", numbers),
            pl.Series("started_at", midnight_us + seconds * 1_000_000).cast(pl.Datetime("us", "UTC")),
            labels(list(DEVICES), device, name="device"),
            labels(BROWSERS, browser, name="browser"),
            labels(_CHANNELS, channel, name="channel"),
            labels(_REFERRER_HOSTS, referrer, name="referrer"),
            pl.repeat(None, count, dtype=pl.String, eager=True).alias("campaign_id"),
            labels(_COUNTRIES.tolist(), customer_city_indexes(config, numbers), name="country_code"),
            pl.Series("segment_index", customer_segments(config, numbers)),
            pl.Series("is_signup", is_signup),
        ]
    )
