"""Campaigns, campaign attribution of sessions, touchpoints and spend, on hand-made sessions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ecap_pipeline.generate.campaigns import CAMPAIGN_CHANNELS, MarketingPlan, campaigns, running_campaigns
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.marketing import attach_campaigns, campaign_spend, touchpoints
from ecap_pipeline.generate.reference import ACQUISITION_CHANNELS
from ecap_pipeline.generate.scales import Scale
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS, UTC_TIMESTAMP

OPENING = dt.date(2025, 9, 1)
DAY = dt.date(2025, 11, 20)
CONFIG = ShopConfig(
    seed=7,
    scale=Scale("test", initial_customers=1_000, signups_per_day=20, products=50, visit_rate_multiplier=2.0),
    opening_date=OPENING,
)
CUSTOMERS = 2_000


def _ids(prefix: str, numbers: np.ndarray) -> pl.Series:
    return prefix + pl.Series(numbers).cast(pl.String).str.zfill(7)


def make_sessions(day: dt.date, count: int = 3_000, *, seed: int = 0) -> pl.DataFrame:
    """Sessions of `day` over every channel, with a column the marketing code must leave alone."""
    rng = np.random.default_rng([seed, day.toordinal()])
    weights = np.array(list(ACQUISITION_CHANNELS.values()))
    midnight_us = int(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp()) * 1_000_000
    return pl.DataFrame(
        {
            "session_id": f"S{day:%Y%m%d}-" + pl.Series(np.arange(count)).cast(pl.String).str.zfill(6),
            "customer_id": _ids("C", rng.integers(1, CUSTOMERS + 1, count)),
            "started_at": pl.Series(midnight_us + rng.integers(0, 86_400_000_000, count)).cast(UTC_TIMESTAMP),
            "channel": np.array(list(ACQUISITION_CHANNELS))[rng.choice(len(weights), count, p=weights / weights.sum())],
            "device": rng.choice(["mobile", "desktop"], count),
        }
    )


AUDIENCE = pl.DataFrame({"customer_id": _ids("C", np.arange(1, CUSTOMERS + 1))})


def day_tables(day: dt.date, config: ShopConfig = CONFIG) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    sessions = attach_campaigns(config, day, make_sessions(day))
    touches = touchpoints(config, day, sessions, AUDIENCE)
    return sessions, touches, campaign_spend(config, day, touches)


def test_campaigns_are_static_named_and_sized_to_the_shop() -> None:
    table = campaigns(CONFIG)
    assert_frame_equal(table, campaigns(CONFIG))
    assert table["campaign_id"].to_list() == [f"K{n:03d}" for n in range(1, table.height + 1)]
    assert set(table["channel"]) == set(CAMPAIGN_CHANNELS) == {"paid_search", "social", "email", "affiliate"}
    assert table.group_by("channel").len()["len"].min() >= 2
    assert table["campaign_name"].n_unique() == table.height
    assert (table["daily_budget"] >= 1).all() and (table["starts_on"] >= OPENING).all()
    flights = table.filter(pl.col("ends_on").is_not_null())
    assert flights.height > 0 and (flights["ends_on"] >= flights["starts_on"]).all()
    assert table.filter(pl.col("ends_on").is_null())["starts_on"].to_list() == [OPENING] * 8
    bigger = ShopConfig(7, CONFIG.scale.with_overrides(initial_customers=10_000), OPENING)
    assert campaigns(bigger)["daily_budget"].sum() > 5 * table["daily_budget"].sum()
    assert not campaigns(ShopConfig(8, CONFIG.scale, OPENING)).equals(table)


def test_only_always_on_campaigns_run_past_the_flight_horizon_and_none_before_opening() -> None:
    late = OPENING + dt.timedelta(days=MarketingPlan().flight_horizon_days + 60)
    assert running_campaigns(CONFIG, late)["ends_on"].null_count() == running_campaigns(CONFIG, late).height == 8
    before = OPENING - dt.timedelta(days=1)
    assert running_campaigns(CONFIG, before).is_empty()
    sessions, touches, spend = day_tables(before)
    assert sessions["campaign_id"].null_count() == sessions.height
    assert touches["touchpoint_type"].unique().to_list() == ["click"] and spend.is_empty()


def test_attach_campaigns_fills_only_campaign_channels_with_running_campaigns_of_that_channel() -> None:
    sessions = make_sessions(DAY)
    attached = attach_campaigns(CONFIG, DAY, sessions)
    assert_frame_equal(attached.drop("campaign_id"), sessions)
    running = running_campaigns(CONFIG, DAY).select("campaign_id", pl.col("channel").alias("campaign_channel"))
    joined = attached.join(running, on="campaign_id", how="left", maintain_order="left")
    in_campaign_channel = pl.col("channel").is_in(CAMPAIGN_CHANNELS)
    assert (
        joined.filter(in_campaign_channel)["campaign_channel"].to_list()
        == joined.filter(in_campaign_channel)["channel"].to_list()
    )
    assert joined.filter(~in_campaign_channel)["campaign_id"].null_count() == joined.filter(~in_campaign_channel).height
    assert set(attached["campaign_id"].drop_nulls()) == set(running["campaign_id"])


def test_attach_campaigns_replaces_an_existing_column_in_place_and_weights_by_budget() -> None:
    sessions = make_sessions(DAY, 40_000).with_columns(pl.lit(None, dtype=pl.String).alias("campaign_id"))
    attached = attach_campaigns(CONFIG, DAY, sessions.select("campaign_id", pl.exclude("campaign_id")))
    assert attached.columns[0] == "campaign_id" and attached["campaign_id"].null_count() < attached.height
    running = running_campaigns(CONFIG, DAY)
    counts = attached.group_by("campaign_id").len().join(running, on="campaign_id")
    shares = counts.with_columns(
        (pl.col("len") / pl.col("len").sum().over("channel")).alias("seen"),
        (pl.col("daily_budget") / pl.col("daily_budget").sum().over("channel")).alias("budget"),
    )
    assert ((shares["seen"] - shares["budget"]).abs() < 0.05).all()


def test_touchpoints_follow_the_contract_with_unique_day_ids() -> None:
    _, touches, spend = day_tables(DAY)
    assert touches.schema == pl.Schema(BRONZE_CONTRACTS["touchpoints"])
    assert spend.schema == pl.Schema(BRONZE_CONTRACTS["campaign_spend"])
    assert touches["touchpoint_id"].n_unique() == touches.height
    assert touches["touchpoint_id"].str.contains(r"^T20251120-\d{7}$").all()
    assert touches["touched_at"].is_sorted()
    assert set(touches["touchpoint_type"]) == {"click", "impression", "email_open"}


def test_one_click_per_non_direct_session_at_its_start_with_its_campaign() -> None:
    sessions, touches, _ = day_tables(DAY)
    clicks = touches.filter(pl.col("touchpoint_type") == "click")
    opened = sessions.filter(pl.col("channel") != "direct")
    assert clicks.height == opened.height and clicks["session_id"].n_unique() == clicks.height
    joined = clicks.join(opened, on="session_id", suffix="_session")
    assert joined.height == clicks.height
    for column in ("customer_id", "channel", "campaign_id"):
        assert joined[column].equals(joined[f"{column}_session"].alias(column))
    assert (joined["touched_at"] == joined["started_at"]).all()
    organic = clicks.filter(pl.col("channel").is_in(["organic_search", "referral"]))
    assert organic.height > 0 and organic["campaign_id"].null_count() == organic.height


def test_exposures_open_no_session_and_come_before_the_last_visit() -> None:
    sessions, touches, _ = day_tables(DAY)
    exposures = touches.filter(pl.col("touchpoint_type") != "click")
    assert exposures["session_id"].null_count() == exposures.height
    assert set(exposures.filter(pl.col("touchpoint_type") == "email_open")["channel"]) == {"email"}
    assert set(exposures.filter(pl.col("touchpoint_type") == "impression")["channel"]) <= {
        "paid_search",
        "social",
        "affiliate",
    }
    running = running_campaigns(CONFIG, DAY).select("campaign_id", pl.col("channel").alias("campaign_channel"))
    joined = exposures.join(running, on="campaign_id")
    assert joined.height == exposures.height and (joined["channel"] == joined["campaign_channel"]).all()
    assert (exposures["touched_at"].dt.date() == DAY).all()
    last = sessions.group_by("customer_id").agg(pl.col("started_at").max())
    visited = exposures.join(last, on="customer_id")
    assert visited.height > 0 and (visited["touched_at"] <= visited["started_at"]).all()


def test_spend_covers_every_running_campaign_and_its_touchpoints() -> None:
    _, touches, spend = day_tables(DAY)
    running = running_campaigns(CONFIG, DAY)
    assert spend["campaign_id"].to_list() == running["campaign_id"].to_list()
    assert (spend["spend_date"] == DAY).all() and (spend["spend"] >= 0).all()
    assert (spend["spend"] == spend["spend"].round(2)).all()
    tracked = touches.group_by("campaign_id").agg(
        (pl.col("touchpoint_type") == "click").sum().alias("tracked_clicks"), pl.len().alias("touches")
    )
    joined = spend.join(tracked, on="campaign_id", how="left").fill_null(0)
    assert (joined["clicks"] >= joined["tracked_clicks"]).all()
    assert (joined["impressions"] >= joined["clicks"]).all() and (joined["impressions"] >= joined["touches"]).all()
    budget = spend.join(running, on="campaign_id")
    assert ((budget["spend"] / budget["daily_budget"]).is_between(0.5, 2.0)).all()


def test_spend_rejects_touchpoints_of_campaigns_not_running() -> None:
    _, touches, _ = day_tables(DAY)
    stopped = campaigns(CONFIG).join(running_campaigns(CONFIG, DAY), on="campaign_id", how="anti")["campaign_id"][0]
    with pytest.raises(ValueError, match=stopped):
        campaign_spend(CONFIG, DAY, touches.with_columns(pl.lit(stopped).alias("campaign_id")))


def test_a_day_depends_only_on_seed_and_day() -> None:
    first = day_tables(DAY)
    for offset in (-3, 1, 40):
        day_tables(DAY + dt.timedelta(days=offset))
    for before, again in zip(first, day_tables(DAY), strict=True):
        assert_frame_equal(before, again)
    sessions = make_sessions(DAY)
    assert_frame_equal(
        touchpoints(CONFIG, DAY, sessions, AUDIENCE),
        touchpoints(CONFIG, DAY, attach_campaigns(CONFIG, DAY, sessions), AUDIENCE),
    )
    other_seed = day_tables(DAY, ShopConfig(8, CONFIG.scale, OPENING))
    assert not other_seed[1].equals(first[1]) and not other_seed[2].equals(first[2])
    next_day = touchpoints(CONFIG, DAY + dt.timedelta(days=7), first[0], AUDIENCE)
    assert not next_day.drop("touchpoint_id").equals(first[1].drop("touchpoint_id"))


def test_a_regular_customer_collects_touches_across_days_and_channels() -> None:
    """Thirty days in the audience, visiting every third day: a multi-touch, multi-channel path."""
    days = [DAY - dt.timedelta(days=offset) for offset in range(30)]
    channels = ["paid_search", "social", "organic_search"]
    paths = []
    for offset, day in enumerate(days):
        sessions = make_sessions(day, 300, seed=offset)
        if offset % 3 == 0:  # the regular customer takes over the first session of the day
            regular = pl.lit("C0000001").alias("customer_id"), pl.lit(channels[offset // 3 % 3]).alias("channel")
            sessions = pl.concat([sessions.head(1).with_columns(regular), sessions.slice(1)])
        paths.append(touchpoints(CONFIG, day, sessions, AUDIENCE))
    touches = pl.concat(paths)
    path = touches.filter(pl.col("customer_id") == "C0000001")
    assert path["touched_at"].dt.date().n_unique() >= 10
    assert path["channel"].n_unique() >= 4 and path.filter(pl.col("session_id").is_null()).height >= 1
    exposures = (
        touches.filter(pl.col("session_id").is_null())
        .group_by("customer_id")
        .agg(pl.len().alias("touches"), pl.col("channel").n_unique().alias("channels"))
    )
    assert exposures.height > 0.8 * AUDIENCE.height
    assert 1.5 <= exposures["touches"].mean() <= 4 and (exposures["channels"] >= 2).mean() > 0.4


@pytest.mark.parametrize(
    ("overrides", "parameter"),
    [
        ({"impression_rate": -0.1}, "impression_rate"),
        ({"email_open_rate": 1.5}, "email_open_rate"),
        ({"spend_noise": -1.0}, "spend_noise"),
        ({"flight_days": (30, 10)}, "flight_days"),
        ({"flight_gap_days": (-1, 10)}, "flight_gap_days"),
        ({"always_on_per_channel": 9}, "always_on_per_channel"),
        ({"cost_per_click": {"paid_search": 1.0, "social": 0.0, "email": 0.1, "affiliate": 0.1}}, "cost_per_click"),
        ({"click_through_rate": {"paid_search": 2.0}}, "click_through_rate"),
        ({"impression_mix": {"direct": 1.0}}, "impression_mix"),
        ({"budget_headroom": float("nan")}, "budget_headroom"),
    ],
)
def test_bad_parameters_are_rejected_by_name(overrides: dict[str, object], parameter: str) -> None:
    with pytest.raises(ValueError, match=rf"MarketingPlan\.{parameter}"):
        MarketingPlan(**overrides)  # type: ignore[arg-type]


def test_a_plan_changes_the_campaigns_and_exposures() -> None:
    plan = MarketingPlan(always_on_per_channel=1, impression_rate=0.0, email_open_rate=1.0)
    assert campaigns(CONFIG, plan=plan).filter(pl.col("ends_on").is_null()).height == 4
    touches = touchpoints(CONFIG, DAY, make_sessions(DAY), AUDIENCE, plan=plan)
    assert touches.filter(pl.col("touchpoint_type") == "impression").is_empty()
    assert touches.filter(pl.col("touchpoint_type") == "email_open").height == AUDIENCE.height


def test_exposures_do_not_depend_on_the_order_of_the_audience() -> None:
    sessions = attach_campaigns(CONFIG, DAY, make_sessions(DAY))
    shuffled = AUDIENCE.sample(fraction=1.0, shuffle=True, seed=3)
    assert_frame_equal(touchpoints(CONFIG, DAY, sessions, AUDIENCE), touchpoints(CONFIG, DAY, sessions, shuffled))


def test_an_empty_day_gives_empty_touchpoints_and_spend_for_running_campaigns() -> None:
    sessions = attach_campaigns(CONFIG, DAY, make_sessions(DAY, 0))
    touches = touchpoints(CONFIG, DAY, sessions, AUDIENCE.head(0))
    assert sessions.is_empty() and touches.is_empty()
    assert touches.schema == pl.Schema(BRONZE_CONTRACTS["touchpoints"])
    assert campaign_spend(CONFIG, DAY, touches).height == running_campaigns(CONFIG, DAY).height
