"""Bronze frames of the tiny shop, stamped with lake columns, ready to write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import polars as pl
import pytest

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import generate_day
from ecap_pipeline.lake.bronze import BatchInfo, with_lake_columns

BronzeFrame = Callable[..., pl.DataFrame]


@pytest.fixture(scope="session")
def batch() -> BatchInfo:
    return BatchInfo(batch_id="batch-1", ingested_at=dt.datetime(2025, 10, 1, 6, 0, tzinfo=dt.UTC), source="unit-test")


@pytest.fixture(scope="session")
def bronze_frame(tiny_config: ShopConfig, batch: BatchInfo) -> BronzeFrame:
    """`bronze_frame(table, days_after_opening, batch=...)`: one day of one table with lake columns."""
    generated = cache(lambda day: generate_day(tiny_config, day))

    def make(table: str, days_after_opening: int, *, batch: BatchInfo = batch) -> pl.DataFrame:
        day = tiny_config.opening_date + dt.timedelta(days=days_after_opening)
        return with_lake_columns(generated(day)[table], day, batch)

    return make
