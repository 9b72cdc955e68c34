"""Marketing: the shop's campaigns, the sessions they open, the ads seen between visits, daily spend.

The warehouse attributes revenue to campaigns (first/last/linear/time-decay/position-based) and
computes CAC and ROAS, so it needs paths of touches that cross days and channels, and spend it
can divide by. Campaigns are fixed per shop; every daily output depends only on (seed, scale,
opening date, day) and that day's sessions and audience, so any day can be rebuilt on its own.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.generate.ids import sequential_ids
from ecap_pipeline.generate.randomness import Stream, day_rng
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS

if TYPE_CHECKING:
    from ecap_pipeline.generate.config import ShopConfig


from ecap_pipeline.generate.campaigns import DEFAULT_PLAN, MarketingPlan, running_campaigns

_US_PER_DAY = 86_400_000_000


def _pick(running: pl.DataFrame, channels: pl.Series, uniform: npt.NDArray[np.float64]) -> pl.Series:
    """A running campaign of each row's channel, weighted by budget; null where the channel has none."""
    picked = np.full(len(channels), -1, dtype=np.int64)
    for channel, campaign in running.with_row_index("index").group_by("channel", maintain_order=True):
        rows = (channels == channel[0]).fill_null(value=False).to_numpy()
        weights = np.cumsum(campaign["daily_budget"].to_numpy())
        chosen = np.searchsorted(weights / weights[-1], uniform[rows], side="right")
        picked[rows] = campaign["index"].to_numpy()[np.minimum(chosen, len(weights) - 1)]
    index = pl.Series(picked).set(pl.Series(picked < 0), None)  # null index -> null campaign
    return running["campaign_id"].gather(index).alias("campaign_id")


def attach_campaigns(
    config: ShopConfig, day: dt.date, sessions: pl.DataFrame, *, plan: MarketingPlan = DEFAULT_PLAN
) -> pl.DataFrame:
    """`sessions` with `campaign_id` set where a running campaign of the session's channel opened it.

    Rows and other columns stay as they are; an existing `campaign_id` column is replaced in place.
    The draw follows the row order, so pass the day's sessions in the order they were generated.
    """
    uniform = day_rng(config.seed, Stream.CAMPAIGN_ATTRIBUTION, day).random(len(sessions))
    return sessions.with_columns(_pick(running_campaigns(config, day, plan=plan), sessions["channel"], uniform))


def touchpoints(
    config: ShopConfig,
    day: dt.date,
    sessions: pl.DataFrame,
    audience: pl.DataFrame,
    *,
    plan: MarketingPlan = DEFAULT_PLAN,
) -> pl.DataFrame:
    """The day's touches: a click per non-direct session, and exposures that open no session.

    Exposures (`impression` for ads, `email_open` for email) go to a random part of `audience`
    (the customers alive that day), before their last session of the day if they have one, so
    that a customer's path to an order crosses days and channels. Sessions without `campaign_id`
    get it from `attach_campaigns` first.
    """
    if "campaign_id" not in sessions.columns:
        sessions = attach_campaigns(config, day, sessions, plan=plan)
    clicks = sessions.filter(pl.col("channel") != "direct").select(
        "customer_id",
        "campaign_id",
        "channel",
        pl.lit("click").alias("touchpoint_type"),
        pl.col("started_at").alias("touched_at"),
        "session_id",
    )
    frame = pl.concat([clicks, _exposures(config, day, sessions, audience, plan)], how="vertical_relaxed")
    contract = BRONZE_CONTRACTS["touchpoints"]
    return (
        frame.sort("touched_at", maintain_order=True)  # stable: ties keep session, then audience order
        .with_columns(sequential_ids("T", day, frame.height, width=7, name="touchpoint_id"))
        .select(pl.col(name).cast(dtype) for name, dtype in contract.items())
    )


def _exposures(
    config: ShopConfig, day: dt.date, sessions: pl.DataFrame, audience: pl.DataFrame, plan: MarketingPlan
) -> pl.DataFrame:
    """Ad impressions and email opens of the day, each on a running campaign, with no session."""
    rng = day_rng(config.seed, Stream.EXPOSURES, day)
    running = running_campaigns(config, day, plan=plan)
    live = set(running["channel"])
    mix = {channel: weight for channel, weight in plan.impression_mix.items() if channel in live and weight > 0}
    customers = audience["customer_id"]
    if not customers.is_sorted():  # who is exposed must not depend on how the caller built the audience
        customers = customers.sort()
    sees_ad = rng.random(len(customers)) < (plan.impression_rate if mix else 0.0)
    opens_email = rng.random(len(customers)) < (plan.email_open_rate if "email" in live else 0.0)
    ad_channels = np.array(list(mix), dtype=object)
    cumulative = np.cumsum(list(mix.values())) / sum(mix.values()) if mix else np.ones(1)
    picked = np.minimum(np.searchsorted(cumulative, rng.random(int(sees_ad.sum())), side="right"), len(mix) - 1)
    channel = pl.concat(
        [pl.Series(ad_channels[picked], dtype=pl.String), pl.repeat("email", int(opens_email.sum()), eager=True)]
    )
    exposed = pl.DataFrame(
        {
            "customer_id": pl.concat([customers.filter(sees_ad), customers.filter(opens_email)]),
            "channel": channel,
            "touchpoint_type": np.where(np.arange(len(channel)) < sees_ad.sum(), "impression", "email_open"),
            "u": rng.random(len(channel)),
        }
    ).with_columns(_pick(running, channel, rng.random(len(channel))))
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    last_visit = sessions.group_by("customer_id").agg(pl.col("started_at").max().alias("last_start"))
    window = (pl.col("last_start") - pl.lit(midnight)).dt.total_microseconds().fill_null(_US_PER_DAY)
    return exposed.join(last_visit, on="customer_id", how="left").select(
        "customer_id",
        "campaign_id",
        "channel",
        "touchpoint_type",
        (pl.lit(midnight) + pl.duration(microseconds=(pl.col("u") * window).floor().cast(pl.Int64)))
        .cast(pl.Datetime("us", "UTC"))
        .alias("touched_at"),
        pl.lit(None, dtype=pl.String).alias("session_id"),
    )


def campaign_spend(
    config: ShopConfig, day: dt.date, day_touchpoints: pl.DataFrame, *, plan: MarketingPlan = DEFAULT_PLAN
) -> pl.DataFrame:
    """One row per campaign running on `day`: what the ad platforms report for it.

    Spend is near the budget (which grows with the shop); clicks cover every click touchpoint of
    the campaign plus clicks that never became a tracked session; impressions cover the clicks
    and the exposures.
    """
    running = running_campaigns(config, day, plan=plan)
    counts = (
        day_touchpoints.filter(pl.col("campaign_id").is_not_null())
        .group_by("campaign_id")
        .agg(
            (pl.col("touchpoint_type") == "click").sum().alias("tracked_clicks"),
            (pl.col("touchpoint_type") != "click").sum().alias("exposures"),
        )
    )
    stray = sorted(set(counts["campaign_id"]) - set(running["campaign_id"]))
    if stray:
        msg = f"touchpoints of {day} name campaigns not running that day: {', '.join(stray[:5])}"
        raise ValueError(msg)
    rng = day_rng(config.seed, Stream.SPEND, day)
    growth = (1.0 + plan.annual_budget_growth) ** (max((day - config.opening_date).days, 0) / 365.25)
    spend = running["daily_budget"].to_numpy() * growth * rng.lognormal(0.0, plan.spend_noise, len(running))
    ctr = running["channel"].replace_strict(dict(plan.click_through_rate), return_dtype=pl.Float64).to_numpy()
    frame = running.join(counts, on="campaign_id", how="left", maintain_order="left").with_columns(
        pl.col("tracked_clicks", "exposures").fill_null(0)
    )
    clicks = np.maximum(frame["tracked_clicks"].to_numpy(), rng.poisson(spend / running["cost_per_click"].to_numpy()))
    impressions = np.maximum(rng.poisson(clicks / ctr), clicks + frame["exposures"].to_numpy())
    return frame.select(
        "campaign_id",
        "campaign_name",
        "channel",
        pl.lit(day).alias("spend_date"),
        pl.Series("spend", spend).round(2),
        pl.Series("impressions", impressions),
        pl.Series("clicks", clicks),
    ).cast(BRONZE_CONTRACTS["campaign_spend"])
