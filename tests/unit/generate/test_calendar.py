"""The calendar: which days are busy, and by how much."""

from __future__ import annotations

import datetime as dt

import pytest

from ecap_pipeline.generate.behaviour import Behaviour
from ecap_pipeline.generate.calendar import black_friday, cyber_monday, purchase_factor, visit_factor


@pytest.mark.parametrize(
    ("year", "friday", "monday"),
    [(2024, dt.date(2024, 11, 29), dt.date(2024, 12, 2)), (2025, dt.date(2025, 11, 28), dt.date(2025, 12, 1))],
)
def test_black_friday_follows_the_fourth_thursday_of_november(year: int, friday: dt.date, monday: dt.date) -> None:
    assert black_friday(year) == friday
    assert cyber_monday(year) == monday


def test_weekends_get_the_configured_uplift_over_an_ordinary_weekday() -> None:
    behaviour = Behaviour(weekend_uplift=0.4)
    wednesday, saturday, sunday = dt.date(2025, 10, 8), dt.date(2025, 10, 11), dt.date(2025, 10, 12)
    assert visit_factor(behaviour, wednesday) == 1.0
    assert visit_factor(behaviour, saturday) == visit_factor(behaviour, sunday) == pytest.approx(1.4)


def test_sale_days_bring_more_visitors_who_buy_more() -> None:
    behaviour = Behaviour()
    ordinary_friday = dt.date(2025, 11, 21)
    assert visit_factor(behaviour, black_friday(2025)) == 1.0 + behaviour.black_friday_uplift
    assert visit_factor(behaviour, cyber_monday(2025)) == 1.0 + behaviour.cyber_monday_uplift
    assert purchase_factor(behaviour, black_friday(2025)) > purchase_factor(behaviour, ordinary_friday) == 1.0


def test_the_christmas_season_ramps_up_to_december_23_then_stops() -> None:
    behaviour = Behaviour()
    season = [visit_factor(behaviour, dt.date(2025, 12, day)) for day in (3, 10, 17, 23)]  # Wednesdays and a Tuesday
    assert season == sorted(season)
    assert season[-1] == pytest.approx(1.0 + behaviour.christmas_uplift)
    assert visit_factor(behaviour, dt.date(2025, 12, 30)) == 1.0
