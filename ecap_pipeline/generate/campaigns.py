"""The shop's marketing campaigns: which run on which day, at what budget, under which knobs.

Campaigns are fixed per (seed, scale, opening date): always-on campaigns per paid or owned
channel, plus seasonal flights. `marketing.py` turns them into the daily sessions, touches and
spend the warehouse attributes revenue to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from ecap_pipeline.generate.randomness import Stream, static_rng
from ecap_pipeline.generate.reference import ACQUISITION_CHANNELS

if TYPE_CHECKING:
    from ecap_pipeline.generate.config import ShopConfig


_ALWAYS_ON: dict[str, tuple[str, ...]] = {
    "paid_search": ("Brand Search", "Generic Search", "Shopping Ads"),
    "social": ("Prospecting", "Retargeting", "Lookalike Audiences"),
    "email": ("Weekly Newsletter", "Win-back", "Abandoned Cart"),
    "affiliate": ("Partner Network", "Cashback Sites", "Creator Codes"),
}
"""Channels that run campaigns (a subset of ACQUISITION_CHANNELS) and their always-on names."""
CAMPAIGN_CHANNELS: tuple[str, ...] = tuple(channel for channel in ACQUISITION_CHANNELS if channel in _ALWAYS_ON)
_FLIGHT_THEMES = ("New Year Sale", "Valentine's Picks", "Spring Refresh", "Easter Deals", "Mother's Day",
                  "Summer Kick-off", "Summer Sale", "Back to School", "Autumn Edit", "Halloween",
                  "Black Friday", "Holiday Gifts")  # fmt: skip
"""Name of a flight by the month it starts in."""
_AD_CHANNELS = tuple(channel for channel in CAMPAIGN_CHANNELS if channel != "email")
_LABELS = {channel: channel.replace("_", " ").title() for channel in CAMPAIGN_CHANNELS}


@dataclass(frozen=True)
class MarketingPlan:
    """Knobs of the marketing generator; the defaults give 2-6 touches before a typical order."""

    impression_rate: float = 0.04
    """Probability that a customer of the day's audience sees a paid ad without clicking."""
    email_open_rate: float = 0.03
    """Probability that a customer of the day's audience opens a campaign email without clicking."""
    impression_mix: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"paid_search": 0.25, "social": 0.55, "affiliate": 0.20})
    )
    """Which channel an ad impression comes from (among channels with a running campaign)."""
    cost_per_click: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {"paid_search": 0.85, "social": 0.55, "email": 0.04, "affiliate": 0.35}
        )
    )
    click_through_rate: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {"paid_search": 0.04, "social": 0.012, "email": 0.025, "affiliate": 0.008}
        )
    )
    """Clicks per impression (per email sent); the cost per mille follows from it and the CPC."""
    always_on_per_channel: int = 2
    flight_days: tuple[int, int] = (10, 35)
    """Shortest and longest run of a flight (a seasonal campaign)."""
    flight_gap_days: tuple[int, int] = (20, 75)
    """Shortest and longest pause between two flights of a channel."""
    flight_horizon_days: int = 730
    """Flights are planned this many days past opening; after that only always-on campaigns run."""
    visits_per_customer_day: float = 0.04
    """Expected visits per customer and day, to size budgets to the shop's traffic."""
    budget_headroom: float = 1.2
    """Budget over the expected cost of the channel's clicks at opening."""
    annual_budget_growth: float = 0.35
    spend_noise: float = 0.08
    """Sigma of the lognormal day-to-day noise of spend around the budget."""

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # Part of ShopConfig, which keys caches hit dozens of times a day; the read-only mappings
        # are hashed by their items, once per (immutable) instance rather than on every lookup.
        return hash(
            tuple(
                tuple(sorted(value.items())) if isinstance(value, Mapping) else value
                for value in (getattr(self, item.name) for item in fields(self))
            )
        )

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # Read-only mappings do not pickle; rebuilding from plain dicts lets configs cross process pools.
        values = (getattr(self, item.name) for item in fields(self))
        return (type(self), tuple(dict(value) if isinstance(value, Mapping) else value for value in values))

    def __post_init__(self) -> None:
        for name, channels in (("impression_mix", _AD_CHANNELS), ("cost_per_click", CAMPAIGN_CHANNELS),
                               ("click_through_rate", CAMPAIGN_CHANNELS)):  # fmt: skip
            unknown = set(getattr(self, name)) - set(channels)
            if unknown:
                msg = f"MarketingPlan.{name} has unknown channel(s) {sorted(unknown)}; known: {list(channels)}"
                raise ValueError(msg)
        inf = float("inf")
        bounds: dict[str, tuple[float | None, float, float]] = {
            "impression_rate": (self.impression_rate, 0.0, 1.0),
            "email_open_rate": (self.email_open_rate, 0.0, 1.0),
            "always_on_per_channel": (self.always_on_per_channel, 0, min(map(len, _ALWAYS_ON.values()))),
            "flight_days": (self.flight_days[0], 1, self.flight_days[1]),
            "flight_gap_days": (self.flight_gap_days[0], 0, self.flight_gap_days[1]),
            "flight_horizon_days": (self.flight_horizon_days, 0, 36_600),
            **{name: (getattr(self, name), 0.0, inf) for name in ("visits_per_customer_day", "budget_headroom",
                                                                   "annual_budget_growth", "spend_noise")},
            **{f"impression_mix[{key!r}]": (value, 0.0, inf) for key, value in self.impression_mix.items()},
            **{f"cost_per_click[{key!r}]": (self.cost_per_click.get(key), 1e-6, inf) for key in CAMPAIGN_CHANNELS},
            **{f"click_through_rate[{key!r}]": (self.click_through_rate.get(key), 1e-6, 1.0)
               for key in CAMPAIGN_CHANNELS},
        }  # fmt: skip
        for name, (value, low, high) in bounds.items():
            if value is None or not low <= value <= high:
                msg = f"MarketingPlan.{name} must be between {low} and {high}, got {value!r}"
                raise ValueError(msg)


DEFAULT_PLAN = MarketingPlan()


@lru_cache(maxsize=16)
def campaigns(config: ShopConfig, *, plan: MarketingPlan = DEFAULT_PLAN) -> pl.DataFrame:
    """Every campaign of the shop: always-on ones from opening, and seasonal flights (cached per shop).

    `daily_budget` is the budget at opening; it grows with the shop (see `campaign_spend`).
    `ends_on` is null for always-on campaigns. Budgets follow the expected traffic of the channel.
    """
    rng = static_rng(config.seed, Stream.CAMPAIGNS)
    size = config.scale.initial_customers + 30 * config.scale.signups_per_day
    visits = size * plan.visits_per_customer_day * config.scale.visit_rate_multiplier
    share = sum(ACQUISITION_CHANNELS.values())
    rows: list[tuple[str, str, float, dt.date, dt.date | None]] = []
    for channel in CAMPAIGN_CHANNELS:
        budget = visits * ACQUISITION_CHANNELS[channel] / share * plan.cost_per_click[channel] * plan.budget_headroom
        split = rng.dirichlet(np.full(plan.always_on_per_channel, 3.0)) if plan.always_on_per_channel else []
        for name, part in zip(_ALWAYS_ON[channel], split, strict=False):
            rows.append((f"{_LABELS[channel]} · {name}", channel, budget * part, config.opening_date, None))
        most = plan.flight_horizon_days // (plan.flight_days[0] + plan.flight_gap_days[0]) + 1
        lengths = rng.integers(plan.flight_days[0], plan.flight_days[1] + 1, most)
        gaps = rng.integers(plan.flight_gap_days[0], plan.flight_gap_days[1] + 1, most)
        starts = np.cumsum(gaps) + np.concatenate([[0], np.cumsum(lengths)[:-1]])
        shares = rng.uniform(0.3, 0.8, most)
        for offset, length, part in zip(starts.tolist(), lengths.tolist(), shares.tolist(), strict=True):
            if offset >= plan.flight_horizon_days:
                break
            start = config.opening_date + dt.timedelta(days=offset)
            name = f"{_LABELS[channel]} · {_FLIGHT_THEMES[start.month - 1]} {start.year}"
            rows.append((name, channel, budget * part, start, start + dt.timedelta(days=length - 1)))
    rows.sort(key=lambda row: (row[3], CAMPAIGN_CHANNELS.index(row[1])))  # stable: pool order on ties
    cpc = pl.col("channel").replace_strict(dict(plan.cost_per_click), return_dtype=pl.Float64)
    ctr = pl.col("channel").replace_strict(dict(plan.click_through_rate), return_dtype=pl.Float64)
    schema = {"campaign_name": pl.String, "channel": pl.String, "daily_budget": pl.Float64,
              "starts_on": pl.Date, "ends_on": pl.Date}  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row").select(
        pl.format("K{}", pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(3)).alias("campaign_id"),
        "campaign_name",
        "channel",
        pl.col("daily_budget").round(0).clip(1.0),
        "starts_on",
        "ends_on",
        cpc.alias("cost_per_click"),
        (cpc * ctr * 1000).round(2).alias("cost_per_mille"),
    )


@lru_cache(maxsize=16)
def running_campaigns(config: ShopConfig, day: dt.date, *, plan: MarketingPlan = DEFAULT_PLAN) -> pl.DataFrame:
    """The campaigns that run on `day` (start and end days included); a day's three callers share one."""
    return campaigns(config, plan=plan).filter(
        (pl.col("starts_on") <= day) & (pl.col("ends_on").is_null() | (pl.col("ends_on") >= day))
    )
