"""Which days are busy: weekends, Black Friday, Cyber Monday and the Christmas season.

The hour-of-day curve lives in `timing`; this module shapes whole days. Both factors depend only
on the behaviour knobs and the date, so any day is computed on its own.
"""

from __future__ import annotations

import datetime as dt

from ecap_pipeline.generate.behaviour import Behaviour

_SATURDAY = 5
_THURSDAY = 3
_CHRISTMAS_SEASON_START = 1
_CHRISTMAS_SEASON_PEAK = 23


def black_friday(year: int) -> dt.date:
    """The day after the fourth Thursday of November."""
    first = dt.date(year, 11, 1)
    first_thursday = first + dt.timedelta(days=(_THURSDAY - first.weekday()) % 7)
    return first_thursday + dt.timedelta(days=21 + 1)


def cyber_monday(year: int) -> dt.date:
    """The Monday after Black Friday."""
    return black_friday(year) + dt.timedelta(days=3)


def christmas_season_progress(day: dt.date) -> float:
    """0 outside the season; rises linearly from December 1 to 1.0 on December 23."""
    if day.month != 12 or not _CHRISTMAS_SEASON_START <= day.day <= _CHRISTMAS_SEASON_PEAK:
        return 0.0
    return (day.day - _CHRISTMAS_SEASON_START + 1) / (_CHRISTMAS_SEASON_PEAK - _CHRISTMAS_SEASON_START + 1)


def visit_factor(behaviour: Behaviour, day: dt.date) -> float:
    """Multiplier of visits and signups on `day` relative to an ordinary weekday."""
    weekend = 1.0 + behaviour.weekend_uplift if day.weekday() >= _SATURDAY else 1.0
    return weekend * (1.0 + _holiday_uplift(behaviour, day))


def purchase_factor(behaviour: Behaviour, day: dt.date) -> float:
    """Multiplier of purchase propensity and basket size on `day`: shoppers come to buy on sale days."""
    if day in (black_friday(day.year), cyber_monday(day.year)):
        return 1.0 + behaviour.holiday_purchase_uplift
    return 1.0 + behaviour.holiday_purchase_uplift * christmas_season_progress(day) / 2


def _holiday_uplift(behaviour: Behaviour, day: dt.date) -> float:
    if day == black_friday(day.year):
        return behaviour.black_friday_uplift
    if day == cyber_monday(day.year):
        return behaviour.cyber_monday_uplift
    return behaviour.christmas_uplift * christmas_season_progress(day)
