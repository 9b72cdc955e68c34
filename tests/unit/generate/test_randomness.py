"""Seeded randomness: counter-based uniforms, per-day generators and weighted picks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ecap_pipeline.generate.randomness import Stream, day_rng, hashed_uniform, static_rng, weighted_pick

KEYS = np.arange(1, 100_001, dtype=np.int64)
SEED = 42


def test_hashed_uniform_lies_in_the_unit_interval() -> None:
    values = hashed_uniform(SEED, KEYS, field=1)
    assert values.dtype == np.float64
    assert values.shape == KEYS.shape
    assert values.min() >= 0.0
    assert values.max() < 1.0


def test_hashed_uniform_is_deterministic() -> None:
    np.testing.assert_array_equal(hashed_uniform(SEED, KEYS, field=3), hashed_uniform(SEED, KEYS, field=3))


def test_hashed_uniform_of_a_key_does_not_depend_on_the_other_keys() -> None:
    everyone = hashed_uniform(SEED, KEYS, field=5)
    some = np.array([7, 500, 99_999], dtype=np.int64)
    np.testing.assert_array_equal(hashed_uniform(SEED, some, field=5), everyone[some - 1])


def test_hashed_uniform_is_roughly_uniform() -> None:
    values = hashed_uniform(SEED, KEYS, field=2)
    assert abs(values.mean() - 0.5) < 0.02
    deciles, _ = np.histogram(values, bins=10, range=(0.0, 1.0))
    assert np.all(np.abs(deciles / len(values) - 0.1) < 0.01), deciles


def test_hashed_uniform_differs_by_field_and_by_seed() -> None:
    base = hashed_uniform(SEED, KEYS, field=1)
    other_field = hashed_uniform(SEED, KEYS, field=2)
    other_seed = hashed_uniform(SEED + 1, KEYS, field=1)
    assert np.mean(base == other_field) < 0.001
    assert np.mean(base == other_seed) < 0.001
    assert abs(np.corrcoef(base, other_field)[0, 1]) < 0.02


def test_day_rng_is_reproducible_and_independent_per_stream_and_day() -> None:
    day = dt.date(2025, 9, 1)

    def draws(seed: int, stream: Stream, on: dt.date) -> np.ndarray:
        return day_rng(seed, stream, on).random(5)

    np.testing.assert_array_equal(draws(SEED, Stream.SESSIONS, day), draws(SEED, Stream.SESSIONS, day))
    assert not np.array_equal(draws(SEED, Stream.SESSIONS, day), draws(SEED, Stream.FUNNEL, day))
    assert not np.array_equal(draws(SEED, Stream.SESSIONS, day), draws(SEED, Stream.SESSIONS, day + dt.timedelta(1)))
    assert not np.array_equal(draws(SEED, Stream.SESSIONS, day), draws(SEED + 1, Stream.SESSIONS, day))


def test_static_rng_is_reproducible_and_independent_per_stream() -> None:
    np.testing.assert_array_equal(
        static_rng(SEED, Stream.CATALOG).random(5), static_rng(SEED, Stream.CATALOG).random(5)
    )
    assert not np.array_equal(static_rng(SEED, Stream.CATALOG).random(5), static_rng(SEED, Stream.NAMES).random(5))


def test_weighted_pick_inverts_the_cumulative_weights() -> None:
    # Weights 1:3 split [0, 1) at 0.25.
    uniform = np.array([0.0, 0.1, 0.2499, 0.25, 0.6, 0.9999])
    assert weighted_pick(uniform, [1, 3]).tolist() == [0, 0, 0, 1, 1, 1]
    assert weighted_pick(uniform, [0.25, 0.75]).tolist() == [0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize(("weights", "only"), [([0, 1, 0], 1), ([5, 0, 0], 0), ([0, 0, 2], 2)])
def test_weighted_pick_never_picks_a_zero_weight(weights: list[float], only: int) -> None:
    uniform = np.concatenate([[0.0, np.nextafter(1.0, 0.0)], np.random.default_rng(1).random(100_000)])
    assert set(weighted_pick(uniform, weights).tolist()) == {only}


def test_weighted_pick_follows_the_weights() -> None:
    picks = weighted_pick(np.random.default_rng(2).random(100_000), [1, 3])
    assert picks.dtype == np.int64
    assert set(picks.tolist()) == {0, 1}
    assert abs(picks.mean() - 0.75) < 0.01
