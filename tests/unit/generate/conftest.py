"""Generated days of the tiny shop, made once per test session and shared read-only."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import generate_day

# Days after opening: the opening day (every initial customer signs up), the first Saturday, a Wednesday a month in.
SAMPLE_OFFSETS = {"opening-day": 0, "first-saturday": 5, "a-month-in": 30}


@pytest.fixture(scope="session", params=list(SAMPLE_OFFSETS.values()), ids=list(SAMPLE_OFFSETS))
def day(request: pytest.FixtureRequest, tiny_config: ShopConfig) -> dt.date:
    """Each sample day of the tiny shop in turn."""
    return tiny_config.opening_date + dt.timedelta(days=request.param)


@pytest.fixture(scope="session")
def tables(tiny_config: ShopConfig, day: dt.date) -> dict[str, pl.DataFrame]:
    """Every bronze table of the tiny shop for `day`."""
    return generate_day(tiny_config, day)


RANGE_DAYS = 84
"""Twelve weeks of the tiny shop: enough orders and weekends for the realism figures to be stable."""


@pytest.fixture(scope="session")
def many_days(tiny_config: ShopConfig) -> dict[dt.date, dict[str, pl.DataFrame]]:
    """Every table of the tiny shop for its first `RANGE_DAYS` days, keyed by day."""
    days = [tiny_config.opening_date + dt.timedelta(days=offset) for offset in range(RANGE_DAYS)]
    return {day: generate_day(tiny_config, day) for day in days}


@pytest.fixture(scope="session")
def history(many_days: dict[dt.date, dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """Each table over the whole range, with the generated day in a `day` column."""
    tables = next(iter(many_days.values())).keys()
    return {
        table: pl.concat([frames[table].with_columns(day=pl.lit(day)) for day, frames in many_days.items()])
        for table in tables
    }
