"""Seeded randomness that lets any single day, or any customer, be generated on its own.

Two tools: `day_rng` gives an independent numpy generator per (seed, stream, day), so a day's
data never depends on which other days were generated before it; `hashed_uniform` derives a
customer's fixed attributes from (seed, customer number, field) alone, so the attributes of any
subset of customers are computed without generating the others.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

import numpy as np
import numpy.typing as npt


class Stream(IntEnum):
    """Independent random streams; adding a stream never changes the values of the others."""

    SIGNUPS = 1
    CATALOG = 2
    NAMES = 3
    SESSIONS = 4
    FUNNEL = 5
    ORDERS = 6
    RETURNS = 7
    CAMPAIGNS = 100
    CAMPAIGN_ATTRIBUTION = 101
    EXPOSURES = 102
    SPEND = 103
    FRAUD = 201
    AUDIENCE = 202


def day_rng(seed: int, stream: Stream, day: dt.date) -> np.random.Generator:
    """A generator for one stream on one day, independent of every other (stream, day)."""
    return np.random.default_rng([seed, int(stream), day.toordinal()])


def static_rng(seed: int, stream: Stream) -> np.random.Generator:
    """A generator for state that does not depend on the day (catalog, name pools)."""
    return np.random.default_rng([seed, int(stream)])


_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    z = values + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return (z ^ (z >> np.uint64(31))) & _MASK64


def hashed_uniform(seed: int, keys: npt.NDArray[np.int64], field: int) -> npt.NDArray[np.float64]:
    """Uniform [0, 1) values that depend only on (seed, key, field): a counter-based generator."""
    with np.errstate(over="ignore"):
        mixed = _splitmix64(np.uint64(seed) * np.uint64(0x100000001B3) + np.uint64(field))
        hashed = _splitmix64(keys.astype(np.uint64) ^ mixed)
    return (hashed >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def weighted_pick(uniform: npt.NDArray[np.float64], weights: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Indices drawn with the given weights, by inverting their cumulative distribution."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    cumulative /= cumulative[-1]
    return np.searchsorted(cumulative, uniform, side="right").astype(np.int64)


def grouped_pick(
    uniform: npt.NDArray[np.float64], group: npt.NDArray[np.int64], weights: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Like `weighted_pick`, but each draw uses the weight row of its group (`weights[group]`).

    Lets one vectorized draw pick, say, a browser for every session from its own device's mix.
    """
    table = np.asarray(weights, dtype=np.float64)
    cumulative = np.cumsum(table, axis=1)
    cumulative /= cumulative[:, -1:]
    picks = (uniform[:, None] >= cumulative[group]).sum(axis=1)
    return np.minimum(picks, table.shape[1] - 1).astype(np.int64)


def hashed_integers(seed: int, keys: npt.NDArray[np.int64], field: int, *, digits: int) -> npt.NDArray[np.int64]:
    """Integers of up to `digits` decimal digits that depend only on (seed, key, field): stable fingerprints."""
    return np.floor(hashed_uniform(seed, keys, field) * 10.0**digits).astype(np.int64)
