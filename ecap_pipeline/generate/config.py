"""What a generator call needs to know: which shop (seed, scale, behaviour) and since when it exists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ecap_pipeline.generate.behaviour import Behaviour
from ecap_pipeline.generate.calendar import visit_factor
from ecap_pipeline.generate.campaigns import MarketingPlan
from ecap_pipeline.generate.fraud import FraudPolicy
from ecap_pipeline.generate.scales import Scale, get_scale, parse_overrides


@dataclass(frozen=True)
class ShopConfig:
    """A synthetic shop. Same config + same day = identical data.

    `opening_date` is the first day the shop trades (the first partition). Customer arrivals are
    counted from it, so it is part of the shop's identity, like the seed. `behaviour` holds the
    knobs of what customers do (calendar, funnel, returns), `marketing` those of campaigns and
    touchpoints, `fraud` the injected fraud (rate and patterns); the defaults are a plausible shop.
    """

    seed: int
    scale: Scale
    opening_date: dt.date
    behaviour: Behaviour = field(default_factory=Behaviour)
    marketing: MarketingPlan = field(default_factory=MarketingPlan)
    fraud: FraudPolicy = field(default_factory=FraudPolicy)

    def days_open(self, day: dt.date) -> int:
        """Whole days between opening and `day`; negative before opening."""
        return (day - self.opening_date).days

    def activity_factor(self, day: dt.date) -> float:
        """Calendar multiplier of visits and signups on `day`: growth trend, weekend and holidays."""
        years_open = max(self.days_open(day), 0) / 365.25
        growth = (1.0 + self.scale.annual_growth) ** years_open
        return growth * visit_factor(self.behaviour, day)


def shop_config(
    seed: int, scale: str, opening_date: dt.date, *, scale_overrides: str = "", fraud_rate: float = 0.01
) -> ShopConfig:
    """The shop of a named scale preset with optional knob overrides and fraud rate.

    Raises ValueError naming the preset, knob or rate that is invalid.
    """
    size = get_scale(scale).with_overrides(**parse_overrides(scale_overrides))
    return ShopConfig(seed=seed, scale=size, opening_date=opening_date, fraud=FraudPolicy(rate=fraud_rate))
