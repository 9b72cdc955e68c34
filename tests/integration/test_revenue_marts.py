"""Build a tiny shop across a month boundary and recompute the revenue marts from bronze in polars.

`revenue_daily`, `revenue_trend_daily`, `revenue_by_dimension_daily/_weekly/_monthly` and
`revenue_concentration` must equal an independent computation from the bronze Delta tables: money
in integer cents (bronze floats rounded once, as staging casts them to decimal(18, 2)), sales on
their order date, refunds on their return date and only up to the as-of date (the latest order
date), the cost of returned units written back.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.settings import Settings
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration

# four ISO weeks (Monday to Sunday) across a month end: full 7- and 28-day windows, returns dated
# before the as-of date and others after it

MONEY = (
    "gross_revenue",
    "discount_amount",
    "net_revenue",
    "cost",
    "margin",
    "refund_amount",
    "returned_cost",
    "net_revenue_after_refunds",
    "margin_after_refunds",
)
SUMS = ("units", "returned_units", *MONEY)
DIMENSIONS = {
    "category": "category",
    "region": "region",
    "country": "country_code",
    "channel": "channel",
    "device": "device",
    "payment_method": "payment_method",
}
GRAINS = {"daily": "1d", "weekly": "1w", "monthly": "1mo"}


def _cents(column: str) -> pl.Expr:
    return (pl.col(column) * 100).round(0).cast(pl.Int64)


def _latest(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Staging's deduplication: per key, the latest partition, then the latest ingestion."""
    return frame.sort(["partition_date", "_ingested_at"]).unique(subset=key, keep="last", maintain_order=True)


def expected_revenue_lines(lake_dir: Path) -> tuple[pl.DataFrame, dt.date, dt.date]:
    """Sales (order date) and refunds (return date, up to the as-of date) with their line's dimensions, in cents."""
    orders = _latest(read_table(lake_dir, "orders"), ["order_id"]).select(
        "order_id",
        "customer_id",
        "session_id",
        "device",
        "country_code",
        "payment_method",
        pl.col("ordered_at").dt.date().alias("order_date"),
    )
    products = _latest(read_table(lake_dir, "products"), ["product_id"]).select("product_id", "category")
    channels = _latest(read_table(lake_dir, "sessions"), ["session_id"]).select("session_id", "channel")
    regions = _latest(read_table(lake_dir, "customers"), ["customer_id"]).select("customer_id", "region")
    items = (
        _latest(read_table(lake_dir, "order_items"), ["order_id", "line_number"])
        .with_columns(_cents("unit_price"), _cents("unit_cost"), _cents("discount_amount"))
        .join(orders, on="order_id", how="left")
        .join(products, on="product_id", how="left")
        .join(channels, on="session_id", how="left")
        .join(regions, on="customer_id", how="left")
    )
    first_date, as_of = items["order_date"].min(), items["order_date"].max()
    dimensions = ["order_id", "customer_id", "product_id", *DIMENSIONS.values()]
    zero = pl.lit(0, dtype=pl.Int64)
    sales = items.select(
        pl.lit("sale").alias("line_type"),
        pl.col("order_date").alias("revenue_date"),
        *dimensions,
        pl.col("quantity").cast(pl.Int64).alias("units"),
        (pl.col("quantity") * pl.col("unit_price")).alias("gross_revenue"),
        pl.col("discount_amount"),
        (pl.col("quantity") * pl.col("unit_cost")).alias("cost"),
        zero.alias("returned_units"),
        zero.alias("refund_amount"),
        zero.alias("returned_cost"),
    )
    refunds = (
        _latest(read_table(lake_dir, "returns"), ["return_id"])
        .with_columns(pl.col("returned_at").dt.date().alias("revenue_date"), _cents("refund_amount"))
        .filter(pl.col("revenue_date") <= as_of)
        .join(items.drop("quantity", "product_id"), on=["order_id", "line_number"], how="inner")
        .select(
            pl.lit("refund").alias("line_type"),
            "revenue_date",
            *dimensions,
            zero.alias("units"),
            zero.alias("gross_revenue"),
            zero.alias("discount_amount"),
            zero.alias("cost"),
            pl.col("quantity").cast(pl.Int64).alias("returned_units"),
            "refund_amount",
            (pl.col("quantity") * pl.col("unit_cost")).alias("returned_cost"),
        )
    )
    lines = (
        pl.concat([sales, refunds])
        .with_columns((pl.col("gross_revenue") - pl.col("discount_amount")).alias("net_revenue"))
        .with_columns(
            (pl.col("net_revenue") - pl.col("cost")).alias("margin"),
            (pl.col("net_revenue") - pl.col("refund_amount")).alias("net_revenue_after_refunds"),
        )
        .with_columns(
            (pl.col("margin") - pl.col("refund_amount") + pl.col("returned_cost")).alias("margin_after_refunds")
        )
    )
    return lines, first_date, as_of


def _aggregate(lines: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    sold = pl.col("line_type") == "sale"
    return lines.group_by(keys).agg(
        pl.col("order_id").filter(sold).n_unique().alias("orders"),
        pl.col("customer_id").filter(sold).n_unique().alias("customers"),
        pl.col(SUMS).sum(),
    )


def _growth(current: str, previous: str) -> pl.Expr:
    return pl.when(pl.col(previous) != 0).then(pl.col(current) / pl.col(previous) - 1)


def expected_revenue_daily(lines: pl.DataFrame) -> pl.DataFrame:
    keys = ["revenue_date", "category", "country_code", "device"]
    return _aggregate(lines, keys).drop("customers").rename({"revenue_date": "order_date"})


def expected_trend(lines: pl.DataFrame, first_date: dt.date, as_of: dt.date) -> pl.DataFrame:
    calendar = pl.DataFrame({"date_day": pl.date_range(first_date, as_of, "1d", eager=True)})
    daily = _aggregate(lines, ["revenue_date"]).rename({"revenue_date": "date_day"})
    counts = ["orders", "customers", *SUMS]
    return (
        calendar.join(daily, on="date_day", how="left")
        .with_columns(pl.col(counts).fill_null(0))
        .sort("date_day")
        .with_columns(
            (pl.col("net_revenue").rolling_mean(7, min_samples=7) / 100).alias("net_revenue_7d_moving_avg"),
            (pl.col("net_revenue").rolling_mean(28, min_samples=28) / 100).alias("net_revenue_28d_moving_avg"),
            pl.col("net_revenue").shift(1).alias("previous_day_net_revenue"),
            pl.col("net_revenue").shift(7).alias("previous_week_net_revenue"),
        )
        .with_columns(
            _growth("net_revenue", "previous_day_net_revenue").alias("net_revenue_growth_vs_previous_day"),
            _growth("net_revenue", "previous_week_net_revenue").alias("net_revenue_growth_vs_previous_week"),
        )
    )


def expected_by_dimension(lines: pl.DataFrame, first_date: dt.date, as_of: dt.date, every: str) -> pl.DataFrame:
    """One grain: every period x every dimension value ever seen, zero-filled, with previous-period growth."""
    dated = lines.with_columns(pl.col("revenue_date").dt.truncate(every).alias("period_start"))
    slices = [
        dated.with_columns(pl.lit("total").alias("dimension"), pl.lit("all").alias("dimension_value")),
        *(
            dated.with_columns(
                pl.lit(dimension).alias("dimension"), pl.col(column).fill_null("unknown").alias("dimension_value")
            )
            for dimension, column in DIMENSIONS.items()
        ),
    ]
    long = pl.concat(
        [frame.select([*lines.columns, "period_start", "dimension", "dimension_value"]) for frame in slices]
    )
    days = pl.date_range(first_date, as_of, "1d", eager=True)
    periods = pl.DataFrame({"period_start": days.dt.truncate(every)}).unique()
    grid = periods.join(long.select("dimension", "dimension_value").unique(), how="cross")
    counts = ["orders", "customers", *SUMS]
    return (
        grid.join(_aggregate(long, ["period_start", "dimension", "dimension_value"]), on=grid.columns, how="left")
        .with_columns(pl.col(counts).fill_null(0))
        .sort("dimension", "dimension_value", "period_start")
        .with_columns(
            pl.col("net_revenue").shift(1).over("dimension", "dimension_value").alias("previous_period_net_revenue")
        )
        .with_columns(
            _growth("net_revenue", "previous_period_net_revenue").alias("net_revenue_growth_vs_previous_period")
        )
    )


def expected_concentration(lines: pl.DataFrame) -> dict[tuple[str, int], tuple[int, int, int, int]]:
    """(entity_type, top_percent) -> (entity_count, top_entity_count, top cents, total cents)."""
    result = {}
    for entity_type, column in (("customer", "customer_id"), ("product", "product_id")):
        entities = (
            lines.group_by(column)
            .agg(pl.col("net_revenue_after_refunds").sum(), (pl.col("line_type") == "sale").any().alias("sold"))
            .filter(pl.col("sold"))
            .sort(["net_revenue_after_refunds", column], descending=[True, False])
        )
        total = entities["net_revenue_after_refunds"].sum()
        for top_percent in (1, 5, 20):
            top = math.ceil(entities.height * top_percent / 100)
            result[entity_type, top_percent] = (
                entities.height,
                top,
                entities["net_revenue_after_refunds"].head(top).sum(),
                total,
            )
    return result


@pytest.fixture(scope="module")
def settings(built: Built) -> Settings:
    failures = [event.event_specific_data for event in built.result.all_events if event.is_step_failure]
    assert built.result.success, failures
    return built.settings


@pytest.fixture(scope="module")
def expected(settings: Settings) -> tuple[pl.DataFrame, dt.date, dt.date]:
    return expected_revenue_lines(settings.lake_dir)


def _query(settings: Settings, sql: str) -> pl.DataFrame:
    """A mart from a fresh read-only connection, decimals (money) as integer cents."""
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    columns = {
        name: [int(value * 100) if isinstance(value, Decimal) else value for value in values]
        for name, values in zip(names, zip(*rows, strict=True), strict=True)
    }
    return pl.DataFrame(columns, infer_schema_length=None)


def _assert_same(actual: pl.DataFrame, wanted: pl.DataFrame, keys: list[str], columns: list[str]) -> None:
    joined = wanted.select(*keys, *columns).join(actual.select(*keys, *columns), on=keys, how="full", suffix="_actual")
    assert joined.height == wanted.height == actual.height
    for column in columns:
        left, right = joined[column], joined[f"{column}_actual"]
        if left.dtype == pl.Float64:
            close = ((left - right).abs() < 1e-9).fill_null(value=False)
            assert (close | (left.is_null() & right.is_null())).all(), column
        else:
            assert (left.eq_missing(right)).all(), column


def test_revenue_daily_equals_bronze(settings: Settings, expected: tuple[pl.DataFrame, dt.date, dt.date]) -> None:
    lines, _, _ = expected
    actual = _query(settings, "select * from revenue_daily")
    wanted = expected_revenue_daily(lines)
    assert wanted["refund_amount"].sum() > 0
    _assert_same(actual, wanted, ["order_date", "category", "country_code", "device"], ["orders", *SUMS])


def test_revenue_trend_daily_equals_bronze(settings: Settings, expected: tuple[pl.DataFrame, dt.date, dt.date]) -> None:
    lines, first_date, as_of = expected
    actual = _query(settings, "select * from revenue_trend_daily").with_columns(
        pl.col("net_revenue_7d_moving_avg", "net_revenue_28d_moving_avg").cast(pl.Float64) / 100
    )
    wanted = expected_trend(lines, first_date, as_of)
    assert actual["date_day"].to_list() == wanted["date_day"].to_list()
    columns = [
        "orders",
        "customers",
        *SUMS,
        "previous_day_net_revenue",
        "previous_week_net_revenue",
        "net_revenue_growth_vs_previous_day",
        "net_revenue_growth_vs_previous_week",
    ]
    _assert_same(actual, wanted, ["date_day"], columns)
    for column in ("net_revenue_7d_moving_avg", "net_revenue_28d_moving_avg"):
        difference = (wanted[column] - actual.sort("date_day")[column]).abs()
        assert wanted[column].is_null().to_list() == actual.sort("date_day")[column].is_null().to_list()
        assert (difference.fill_null(0) <= 0.005 + 1e-9).all(), column
    # a moving average exists once its window is full
    assert actual["net_revenue_7d_moving_avg"].null_count() == 6
    assert actual["net_revenue_28d_moving_avg"].null_count() == 27


@pytest.mark.parametrize("grain", list(GRAINS))
def test_revenue_by_dimension_equals_bronze(
    settings: Settings, expected: tuple[pl.DataFrame, dt.date, dt.date], grain: str
) -> None:
    lines, first_date, as_of = expected
    actual = _query(settings, f"select * from revenue_by_dimension_{grain}")
    wanted = expected_by_dimension(lines, first_date, as_of, GRAINS[grain])
    columns = [
        "orders",
        "customers",
        *SUMS,
        "previous_period_net_revenue",
        "net_revenue_growth_vs_previous_period",
    ]
    _assert_same(actual, wanted, ["period_start", "dimension", "dimension_value"], columns)


def test_revenue_concentration_equals_bronze(
    settings: Settings, expected: tuple[pl.DataFrame, dt.date, dt.date]
) -> None:
    lines, _, _ = expected
    rows = _query(settings, "select * from revenue_concentration").iter_rows(named=True)
    actual = {
        (row["entity_type"], row["top_percent"]): (
            row["entity_count"],
            row["top_entity_count"],
            row["top_net_revenue_after_refunds"],
            row["total_net_revenue_after_refunds"],
        )
        for row in rows
    }
    assert actual == expected_concentration(lines)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        shares = connection.execute(
            "select share_of_net_revenue_after_refunds, top_net_revenue_after_refunds,"
            " total_net_revenue_after_refunds from revenue_concentration"
        ).fetchall()
    assert all(share == pytest.approx(float(Decimal(top) / Decimal(total))) for share, top, total in shares)
