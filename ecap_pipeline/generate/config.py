"""What a generator call needs to know: which shop (seed, scale) and since when it exists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ecap_pipeline.generate.reference import WEEKDAY_FACTORS
from ecap_pipeline.generate.scales import Scale


@dataclass(frozen=True)
class ShopConfig:
    """A synthetic shop. Same config + same day = identical data.

    `opening_date` is the first day the shop trades (the first partition). Customer arrivals are
    counted from it, so it is part of the shop's identity, like the seed.
    """

    seed: int
    scale: Scale
    opening_date: dt.date

    def days_open(self, day: dt.date) -> int:
        """Whole days between opening and `day`; negative before opening."""
        return (day - self.opening_date).days

    def activity_factor(self, day: dt.date) -> float:
        """Calendar multiplier of visits and signups on `day`: growth trend and weekday shape."""
        years_open = max(self.days_open(day), 0) / 365.25
        growth = (1.0 + self.scale.annual_growth) ** years_open
        return growth * WEEKDAY_FACTORS[day.weekday()]
