"""Recompute the attribution marts of a tiny shop from bronze in polars.

Linear attribution must come out identical, per order x touch in `attribution_credits` and per
day x channel x campaign in `attribution_channel_daily`: every touch of the order's customer in
(ordered_at - 30 days, ordered_at], in time order (ties by touchpoint_id), an order without one on
a 'direct' row, money in integer cents (bronze floats rounded once, as staging casts them to
decimal(18, 2)) split by cumulative rounding, spend from campaign_spend, every day x channel x
campaign zero-filled. Time decay (half-life 7 days) is checked too, within float error. A 30-day
shop never holds a touch 30 days before an order, so the credits are also rebuilt, on a copy of the
warehouse, with a 10-day lookback and a 3-day half-life passed as dbt vars.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.settings import DBT_PROJECT_DIR, Settings
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration

LOOKBACK_DAYS = 30
HALF_LIFE_DAYS = 7
NO_CAMPAIGN = "no_campaign"
SHORT_LOOKBACK_DAYS = 10
SHORT_HALF_LIFE_DAYS = 3
US_PER_DAY = 86_400_000_000


def _cents(column: str) -> pl.Expr:
    return (pl.col(column) * 100).round(0).cast(pl.Int64)


def _latest(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Staging's deduplication: per key, the latest partition, then the latest ingestion."""
    return frame.sort(["partition_date", "_ingested_at"]).unique(subset=key, keep="last", maintain_order=True)


def expected_orders(lake_dir: Path) -> pl.DataFrame:
    """Every order with its net revenue in cents and whether it is its customer's first."""
    lines = (
        _latest(read_table(lake_dir, "order_items"), ["order_id", "line_number"])
        .with_columns(_cents("unit_price"), _cents("discount_amount"))
        .group_by("order_id")
        .agg((pl.col("quantity") * pl.col("unit_price") - pl.col("discount_amount")).sum().alias("order_cents"))
    )
    return (
        _latest(read_table(lake_dir, "orders"), ["order_id"])
        .select("order_id", "customer_id", "ordered_at", pl.col("ordered_at").dt.date().alias("order_date"))
        .join(lines, on="order_id", how="left")
        .sort("customer_id", "ordered_at", "order_id")
        .with_columns(
            pl.col("order_cents").fill_null(0).cast(pl.Int64),
            (pl.int_range(pl.len()).over("customer_id") == 0).alias("is_first_order"),
        )
    )


def _split(cumulative: pl.Expr) -> pl.Expr:
    """Cents of each step of a frame sorted by order and step: the steps up to it get round(order cents x
    `cumulative`), the last step takes the rest."""
    through = (
        pl.when(pl.col("step") == pl.col("steps"))
        .then(pl.col("order_cents"))
        .otherwise((pl.col("order_cents") * cumulative + 0.5).floor().cast(pl.Int64))
    )
    return through - through.shift(1, fill_value=0).over("order_id")


def expected_credits(
    lake_dir: Path, *, lookback_days: int = LOOKBACK_DAYS, half_life_days: float = HALF_LIFE_DAYS
) -> pl.DataFrame:
    """One row per order x touch in its window (or one direct row), linear and time-decay weights and cents."""
    orders = expected_orders(lake_dir)
    touches = _latest(read_table(lake_dir, "touchpoints"), ["touchpoint_id"]).select(
        "touchpoint_id", "customer_id", "campaign_id", "channel", "touchpoint_type", "touched_at"
    )
    windowed = (
        orders.join(touches, on="customer_id", how="inner")
        .filter(
            (pl.col("touched_at") > pl.col("ordered_at") - dt.timedelta(days=lookback_days))
            & (pl.col("touched_at") <= pl.col("ordered_at"))
        )
        .sort("order_id", "touched_at", "touchpoint_id")
        .with_columns(
            pl.int_range(1, pl.len() + 1).over("order_id").alias("touch_position"),
            pl.len().over("order_id").cast(pl.Int64).alias("touch_count"),
            ((pl.col("ordered_at") - pl.col("touched_at")).dt.total_microseconds() / US_PER_DAY).alias(
                "days_before_order"
            ),
        )
    )
    untouched = orders.join(windowed.select("order_id").unique(), on="order_id", how="anti").with_columns(
        pl.lit(None, dtype=pl.String).alias("touchpoint_id"),
        pl.lit(None, dtype=pl.String).alias("campaign_id"),
        pl.lit("direct").alias("channel"),
        pl.lit("no_touch").alias("touchpoint_type"),
        pl.lit(None, dtype=windowed.schema["touched_at"]).alias("touched_at"),
        pl.lit(0, dtype=pl.Int64).alias("touch_position"),
        pl.lit(0, dtype=pl.Int64).alias("touch_count"),
        pl.lit(None, dtype=pl.Float64).alias("days_before_order"),
    )
    score = (2.0 ** (-pl.col("days_before_order") / half_life_days)).fill_null(1.0)
    return (
        pl.concat([windowed, untouched.select(windowed.columns)])
        .with_columns(
            pl.max_horizontal("touch_position", 1).alias("step"),
            pl.max_horizontal("touch_count", 1).alias("steps"),
            score.alias("score"),
        )
        .sort("order_id", "step")
        .with_columns(
            (1 / pl.col("steps")).alias("linear_weight"),
            (pl.col("score") / pl.col("score").sum().over("order_id")).alias("time_decay_weight"),
            _split(pl.col("step") / pl.col("steps")).alias("linear_revenue"),
            _split(pl.col("score").cum_sum().over("order_id") / pl.col("score").sum().over("order_id")).alias(
                "time_decay_revenue"
            ),
        )
    )


def expected_channel_daily(credits: pl.DataFrame, lake_dir: Path) -> pl.DataFrame:
    """Linear attribution per day x channel x campaign beside spend, zero-filled, with CAC and ROAS."""
    credited = (
        credits.with_columns(pl.col("campaign_id").fill_null(NO_CAMPAIGN))
        .group_by(pl.col("order_date").alias("date_day"), "channel", "campaign_id")
        .agg(
            pl.col("linear_weight").sum().alias("linear_orders"),
            pl.col("linear_weight").filter(pl.col("is_first_order")).sum().alias("linear_new_customers"),
            pl.col("linear_revenue").sum(),
        )
    )
    spent = (
        _latest(read_table(lake_dir, "campaign_spend"), ["campaign_id", "spend_date"])
        .with_columns(_cents("spend"))
        .group_by(pl.col("spend_date").alias("date_day"), "channel", "campaign_id")
        .agg(pl.col("spend").sum())
    )
    days = pl.concat([credited["date_day"], spent["date_day"]])
    keys = pl.concat([credited.select("channel", "campaign_id"), spent.select("channel", "campaign_id")]).unique()
    spine = pl.DataFrame({"date_day": pl.date_range(days.min(), days.max(), "1d", eager=True)}).join(keys, how="cross")
    on = ["date_day", "channel", "campaign_id"]
    return (
        spine.join(credited, on=on, how="left")
        .join(spent, on=on, how="left")
        .with_columns(pl.col("linear_orders", "linear_new_customers", "linear_revenue", "spend").fill_null(0))
        .with_columns(
            pl.when(pl.col("linear_new_customers") > 0)
            .then(pl.col("spend") / pl.col("linear_new_customers"))
            .alias("linear_cac"),
            pl.when(pl.col("spend") > 0).then(pl.col("linear_revenue") / pl.col("spend")).alias("linear_roas"),
        )
    )


@pytest.fixture(scope="module")
def settings(built: Built) -> Settings:
    failures = [event.event_specific_data for event in built.result.all_events if event.is_step_failure]
    assert built.result.success, failures
    return built.settings


@pytest.fixture(scope="module")
def credits(settings: Settings) -> pl.DataFrame:
    return expected_credits(settings.lake_dir)


@pytest.fixture(scope="module")
def short_window_warehouse(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built warehouse whose credits dbt rebuilt with a 10-day lookback and a 3-day half-life."""
    data_dir = tmp_path_factory.mktemp("short_window")
    (data_dir / "lake").symlink_to(settings.lake_dir)
    (data_dir / "warehouse").mkdir()
    shutil.copy(settings.warehouse_path, data_dir / "warehouse" / "ecap.duckdb")
    variables = {"attribution_lookback_days": SHORT_LOOKBACK_DAYS, "attribution_half_life_days": SHORT_HALF_LIFE_DAYS}
    environment = {
        **os.environ,
        "ECAP_DATA_DIR": str(data_dir),
        "DBT_TARGET_PATH": str(data_dir / "target"),
        "DBT_LOG_PATH": str(data_dir / "logs"),
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "run",
        "--profiles-dir",
        ".",
        "--vars",
        json.dumps(variables),
    ]
    completed = subprocess.run(
        [*command, "--select", "int_order_touchpoints_windowed", "attribution_credits"],
        cwd=DBT_PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return data_dir / "warehouse" / "ecap.duckdb"


def _query(warehouse_path: Path, sql: str) -> pl.DataFrame:
    """A mart from a fresh read-only connection, decimals (money) as integer cents."""
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    columns = {
        name: [int(value * 100) if isinstance(value, Decimal) else value for value in values]
        for name, values in zip(names, zip(*rows, strict=True), strict=True)
    }
    return pl.DataFrame(columns, infer_schema_length=None)


def _joined(actual: pl.DataFrame, wanted: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    joined = wanted.join(actual, on=keys, how="full", suffix="_actual", nulls_equal=True)
    assert joined.height == wanted.height == actual.height
    return joined


def test_the_recomputation_uses_the_project_defaults() -> None:
    project = (DBT_PROJECT_DIR / "dbt_project.yml").read_text()
    defaults = dict(re.findall(r"^  (attribution_\w+): ([\d.]+)$", project, flags=re.MULTILINE))
    assert defaults["attribution_lookback_days"] == str(LOOKBACK_DAYS)
    assert defaults["attribution_half_life_days"] == str(HALF_LIFE_DAYS)


def _assert_linear_credits_equal(warehouse_path: Path, credits: pl.DataFrame) -> None:
    actual = _query(
        warehouse_path,
        "select order_id, touchpoint_id, campaign_id, channel, touchpoint_type, touch_position, touch_count,"
        " is_first_order, order_net_revenue as order_cents, linear_weight, linear_revenue from attribution_credits",
    )
    joined = _joined(actual, credits, ["order_id", "touchpoint_id"])
    exact = (
        "campaign_id",
        "channel",
        "touchpoint_type",
        "touch_position",
        "touch_count",
        "is_first_order",
        "order_cents",
        "linear_weight",
        "linear_revenue",
    )
    for column in exact:
        got = joined[f"{column}_actual"]
        assert joined[column].cast(got.dtype).eq_missing(got).all(), column


def _assert_time_decay_credits_close(warehouse_path: Path, credits: pl.DataFrame) -> None:
    actual = _query(
        warehouse_path, "select order_id, touchpoint_id, time_decay_weight, time_decay_revenue from attribution_credits"
    )
    joined = _joined(actual, credits, ["order_id", "touchpoint_id"])
    assert ((joined["time_decay_weight"] - joined["time_decay_weight_actual"]).abs() < 1e-12).all()
    # the same cumulative rounding; a share summed in another order may land a cent to either side
    assert ((joined["time_decay_revenue"] - joined["time_decay_revenue_actual"]).abs() <= 1).all()
    per_order = joined.group_by("order_id").agg(
        pl.col("order_cents").first(), pl.col("time_decay_revenue_actual").sum()
    )
    assert (per_order["order_cents"] == per_order["time_decay_revenue_actual"]).all()


def test_linear_credits_per_order_and_touch_equal_polars_from_bronze(settings: Settings, credits: pl.DataFrame) -> None:
    _assert_linear_credits_equal(settings.warehouse_path, credits)
    # the build exercises every kind of path: orders without a touch, with one, and with several
    assert (credits["touchpoint_type"] == "no_touch").sum() > 0
    assert credits["touch_count"].max() >= 5
    assert (credits["touch_count"] == 1).any()


def test_time_decay_credits_equal_polars_from_bronze_within_float_error(
    settings: Settings, credits: pl.DataFrame
) -> None:
    _assert_time_decay_credits_close(settings.warehouse_path, credits)


def test_credits_follow_the_lookback_and_half_life_vars(settings: Settings, short_window_warehouse: Path) -> None:
    credits = expected_credits(
        settings.lake_dir, lookback_days=SHORT_LOOKBACK_DAYS, half_life_days=SHORT_HALF_LIFE_DAYS
    )
    # the shorter window leaves touches out that the 30-day window holds, and more orders untouched
    assert credits.height < expected_credits(settings.lake_dir).height
    _assert_linear_credits_equal(short_window_warehouse, credits)
    _assert_time_decay_credits_close(short_window_warehouse, credits)


def test_linear_channel_daily_equals_polars_from_bronze(settings: Settings, credits: pl.DataFrame) -> None:
    wanted = expected_channel_daily(credits, settings.lake_dir)
    actual = _query(
        settings.warehouse_path,
        "select date_day, channel, campaign_id, spend, linear_orders, linear_new_customers, linear_revenue,"
        " linear_cac, linear_roas from attribution_channel_daily",
    )
    joined = _joined(actual, wanted, ["date_day", "channel", "campaign_id"])
    for column in ("spend", "linear_revenue"):
        assert (joined[column] == joined[f"{column}_actual"]).all(), column
    for column in ("linear_orders", "linear_new_customers", "linear_roas"):
        left, right = joined[column], joined[f"{column}_actual"]
        assert left.is_null().to_list() == right.is_null().to_list(), column
        assert ((left - right).abs().fill_null(0) < 1e-9).all(), column
    # CAC is rounded to the cent from a fractional number of customers
    cac, cac_actual = joined["linear_cac"], joined["linear_cac_actual"]
    assert cac.is_null().to_list() == cac_actual.is_null().to_list()
    assert ((cac - cac_actual).abs().fill_null(0) <= 0.5 + 1e-6).all()
    # a day with spend and no credited order is a row with zero revenue, not a missing row
    assert joined.filter((pl.col("spend") > 0) & (pl.col("linear_orders") == 0)).height > 0
