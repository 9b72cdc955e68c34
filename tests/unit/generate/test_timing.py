"""The hour-of-day curve: where in the day timestamps land."""

from __future__ import annotations

import numpy as np

from ecap_pipeline.generate.reference import HOUR_OF_DAY_WEIGHTS
from ecap_pipeline.generate.timing import seconds_into_day

LAST_SECOND = 86_399


def _uniform(size: int = 100_000) -> np.ndarray:
    return np.random.default_rng(3).random(size)


def test_seconds_stay_within_the_day() -> None:
    seconds = seconds_into_day(_uniform())
    assert seconds.dtype == np.int64
    assert seconds.min() >= 0
    assert seconds.max() <= LAST_SECOND


def test_the_ends_of_the_unit_interval_map_to_the_ends_of_the_day() -> None:
    assert seconds_into_day(np.array([0.0, np.nextafter(1.0, 0.0)])).tolist() == [0, LAST_SECOND]


def test_seconds_are_monotonic_in_the_draw() -> None:
    seconds = seconds_into_day(np.linspace(0.0, 0.999999, 10_001))
    assert np.all(np.diff(seconds) >= 0)


def test_a_draw_in_the_middle_of_an_hours_share_lands_in_that_hour() -> None:
    cdf = np.cumsum((0.0, *HOUR_OF_DAY_WEIGHTS)) / sum(HOUR_OF_DAY_WEIGHTS)
    middles = (cdf[:-1] + cdf[1:]) / 2
    hours = seconds_into_day(middles) // 3600
    assert hours.tolist() == list(range(24))


def test_the_evening_peak_gets_more_mass_than_the_night() -> None:
    hours = seconds_into_day(_uniform()) // 3600
    per_hour = np.bincount(hours, minlength=24)
    assert per_hour[20] > 10 * per_hour[4]
    assert per_hour.argmax() == 20
    expected_share = np.array(HOUR_OF_DAY_WEIGHTS) / sum(HOUR_OF_DAY_WEIGHTS)
    assert np.all(np.abs(per_hour / per_hour.sum() - expected_share) < 0.005)
