"""Fixtures shared by the unit tests: a tiny synthetic shop that opens on a fixed Monday."""

from __future__ import annotations

import datetime as dt

import pytest

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.scales import get_scale

OPENING_DATE = dt.date(2025, 9, 1)
"""A Monday; the tiny shop's first trading day."""


@pytest.fixture(scope="session")
def tiny_config() -> ShopConfig:
    """The tiny shop with a fixed seed: 1,000 initial customers, 80 products."""
    return ShopConfig(seed=7, scale=get_scale("tiny"), opening_date=OPENING_DATE)
