"""The synthetic shop generator, as a Dagster resource."""

from __future__ import annotations

import datetime as dt

import polars as pl
from dagster import ConfigurableResource

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import generate_day
from ecap_pipeline.generate.scales import get_scale


class ShopGeneratorResource(ConfigurableResource):
    """Which synthetic shop to generate: seed, scale preset and opening day."""

    seed: int
    scale: str
    opening_date: str

    @property
    def shop(self) -> ShopConfig:
        return ShopConfig(
            seed=self.seed, scale=get_scale(self.scale), opening_date=dt.date.fromisoformat(self.opening_date)
        )

    def generate_day(self, day: dt.date) -> dict[str, pl.DataFrame]:
        """Every bronze table of the shop for one day."""
        return generate_day(self.shop, day)
