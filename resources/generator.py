"""The synthetic shop generator, as a Dagster resource."""

from __future__ import annotations

import datetime as dt

import polars as pl
from dagster import ConfigurableResource

from ecap_pipeline.generate.config import ShopConfig, shop_config
from ecap_pipeline.generate.day import generate_day


class ShopGeneratorResource(ConfigurableResource):
    """Which synthetic shop to generate: seed, scale preset (and knob overrides), opening day, fraud rate."""

    seed: int
    scale: str
    opening_date: str
    scale_overrides: str = ""
    fraud_rate: float = 0.01

    @property
    def shop(self) -> ShopConfig:
        return shop_config(
            self.seed,
            self.scale,
            dt.date.fromisoformat(self.opening_date),
            scale_overrides=self.scale_overrides,
            fraud_rate=self.fraud_rate,
        )

    def generate_day(self, day: dt.date) -> dict[str, pl.DataFrame]:
        """Every bronze table of the shop for one day."""
        return generate_day(self.shop, day)
