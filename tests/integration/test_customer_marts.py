"""Build a tiny shop across a month boundary and recompute the customer marts from bronze in polars.

`customer_clv`, `cohort_retention` and `customer_rfm` must equal an independent computation from the bronze Delta
tables: money in integer cents (bronze floats rounded once, as staging casts them to
decimal(18, 2)), refunds counted only for returns received on or before the as-of date (the
latest order date), the cost of returned units reversed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.settings import DBT_PROJECT_DIR, Settings
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration

# two weeks across a month end, so there are two cohorts and a month 1

CLV_COLUMNS = (
    "customer_id",
    "acquisition_cohort_month",
    "first_order_date",
    "last_order_date",
    "tenure_days",
    "tenure_months",
    "orders",
    "units",
    "returned_units",
    "gross_revenue",
    "discount_amount",
    "net_revenue",
    "refund_amount",
    "net_revenue_after_refunds",
    "cost",
    "returned_cost",
    "margin_after_refunds",
)
COHORT_COLUMNS = (
    "cohort_month",
    "months_since_first_order",
    "cohort_size",
    "active_customers",
    "orders",
    "net_revenue",
    "refund_amount",
    "cumulative_net_revenue_after_refunds",
)
RFM_COLUMNS = (
    "customer_id",
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "fm_score",
    "segment",
)
MONEY = {
    "monetary",
    "gross_revenue",
    "discount_amount",
    "net_revenue",
    "refund_amount",
    "net_revenue_after_refunds",
    "cost",
    "returned_cost",
    "margin_after_refunds",
    "cumulative_net_revenue_after_refunds",
}


def _cents(column: str) -> pl.Expr:
    return (pl.col(column) * 100).round(0).cast(pl.Int64)


def _latest(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Staging's deduplication: per key, the latest partition, then the latest ingestion."""
    return frame.sort(["partition_date", "_ingested_at"]).unique(subset=key, keep="last", maintain_order=True)


def _month_index(column: str) -> pl.Expr:
    return pl.col(column).dt.year() * 12 + pl.col(column).dt.month()


def expected_customer_orders(lake_dir: Path) -> tuple[pl.DataFrame, dt.date]:
    """One row per order from bronze: customer, cohort, month offset and money in cents."""
    orders = _latest(read_table(lake_dir, "orders"), ["order_id"]).select(
        "order_id", "customer_id", pl.col("ordered_at").dt.date().alias("order_date")
    )
    items = _latest(read_table(lake_dir, "order_items"), ["order_id", "line_number"]).with_columns(
        _cents("unit_price").alias("price_c"), _cents("unit_cost").alias("unit_cost_c"), _cents("discount_amount")
    )
    as_of = orders["order_date"].max()
    lines = items.group_by("order_id").agg(
        pl.col("quantity").sum().cast(pl.Int64).alias("units"),
        (pl.col("quantity") * pl.col("price_c")).sum().alias("gross_revenue"),
        pl.col("discount_amount").sum(),
        (pl.col("quantity") * pl.col("unit_cost_c")).sum().alias("cost"),
    )
    returns = (
        _latest(read_table(lake_dir, "returns"), ["return_id"])
        .filter(pl.col("returned_at").dt.date() <= as_of)
        .join(items.select("order_id", "line_number", "unit_cost_c"), on=["order_id", "line_number"], how="inner")
        .group_by("order_id")
        .agg(
            pl.col("quantity").sum().cast(pl.Int64).alias("returned_units"),
            _cents("refund_amount").sum().alias("refund_amount"),
            (pl.col("quantity") * pl.col("unit_cost_c")).sum().alias("returned_cost"),
        )
    )
    money = ["units", "gross_revenue", "discount_amount", "cost", "returned_units", "refund_amount", "returned_cost"]
    frame = (
        orders.join(lines, on="order_id", how="left")
        .join(returns, on="order_id", how="left")
        .with_columns(pl.col(money).fill_null(0))
        .with_columns(
            pl.col("order_date").dt.truncate("1mo").alias("order_month"),
            pl.col("order_date").min().over("customer_id").dt.truncate("1mo").alias("cohort_month"),
            (pl.col("gross_revenue") - pl.col("discount_amount")).alias("net_revenue"),
        )
        .with_columns(
            (_month_index("order_month") - _month_index("cohort_month")).alias("months_since_first_order"),
            (pl.col("net_revenue") - pl.col("refund_amount")).alias("net_revenue_after_refunds"),
        )
        .with_columns(
            (pl.col("net_revenue_after_refunds") - pl.col("cost") + pl.col("returned_cost")).alias(
                "margin_after_refunds"
            )
        )
    )
    return frame, as_of


def expected_customer_clv(customer_orders: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """customer_clv's columns: totals per customer, tenure to the as-of date (months counted inclusively)."""
    sums = [
        "units",
        "returned_units",
        "gross_revenue",
        "discount_amount",
        "net_revenue",
        "refund_amount",
        "net_revenue_after_refunds",
        "cost",
        "returned_cost",
        "margin_after_refunds",
    ]
    as_of_month = as_of.year * 12 + as_of.month
    return (
        customer_orders.group_by("customer_id")
        .agg(
            pl.col("cohort_month").min().alias("acquisition_cohort_month"),
            pl.col("order_date").min().alias("first_order_date"),
            pl.col("order_date").max().alias("last_order_date"),
            pl.len().cast(pl.Int64).alias("orders"),
            pl.col(sums).sum(),
        )
        .with_columns(
            (pl.lit(as_of) - pl.col("first_order_date")).dt.total_days().alias("tenure_days"),
            (as_of_month - _month_index("acquisition_cohort_month") + 1).alias("tenure_months"),
        )
        .select(CLV_COLUMNS)
        .sort("customer_id")
    )


def expected_cohort_retention(customer_orders: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """cohort_retention's columns: every cohort x month offset up to the as-of month, zeros filled."""
    as_of_month = as_of.year * 12 + as_of.month
    cohorts = customer_orders.group_by("cohort_month").agg(pl.col("customer_id").n_unique().alias("cohort_size"))
    grid = cohorts.with_columns(
        pl.int_ranges(0, as_of_month - _month_index("cohort_month") + 1).alias("months_since_first_order")
    ).explode("months_since_first_order")
    activity = customer_orders.group_by("cohort_month", "months_since_first_order").agg(
        pl.col("customer_id").n_unique().alias("active_customers"),
        pl.len().alias("orders"),
        pl.col("net_revenue", "refund_amount", "net_revenue_after_refunds").sum(),
    )
    return (
        grid.with_columns(pl.col("months_since_first_order").cast(pl.Int64))
        .join(
            activity.with_columns(pl.col("months_since_first_order").cast(pl.Int64)),
            on=["cohort_month", "months_since_first_order"],
            how="left",
        )
        .with_columns(pl.col("active_customers", "orders", "net_revenue", "refund_amount").fill_null(0))
        .sort("cohort_month", "months_since_first_order")
        .with_columns(
            pl.col("net_revenue_after_refunds")
            .fill_null(0)
            .cum_sum()
            .over("cohort_month")
            .alias("cumulative_net_revenue_after_refunds")
        )
        .select(COHORT_COLUMNS)
    )


def _ntile(count: int, buckets: int = 5) -> list[int]:
    """SQL ntile(buckets) over `count` ordered rows: the first count % buckets buckets hold one more."""
    size, remainder = divmod(count, buckets)
    big = remainder * (size + 1)
    return [index // (size + 1) + 1 if index < big else (index - big) // size + remainder + 1 for index in range(count)]


def expected_customer_rfm(customer_orders: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """customer_rfm at the latest order date: quintiles with customer_id tie-breaks, segment from the seed."""
    measured = customer_orders.group_by("customer_id").agg(
        (pl.lit(as_of) - pl.col("order_date").max()).dt.total_days().alias("recency_days"),
        pl.len().cast(pl.Int64).alias("frequency"),
        pl.col("net_revenue").sum().alias("monetary"),
    )
    scored = measured
    for score, order, descending in (
        ("r_score", "recency_days", True),
        ("f_score", "frequency", False),
        ("m_score", "monetary", False),
    ):
        ranked = scored.sort([order, "customer_id"], descending=[descending, False])
        scored = ranked.with_columns(pl.Series(score, _ntile(ranked.height), dtype=pl.Int64))
    segments = pl.read_csv(DBT_PROJECT_DIR / "seeds" / "rfm_segment_map.csv").select(
        pl.col("r_score", "fm_score").cast(pl.Int64), "segment"
    )
    return (
        scored.with_columns(((pl.col("f_score") + pl.col("m_score") + 1) // 2).alias("fm_score"))
        .join(segments, on=["r_score", "fm_score"], how="left")
        .select(RFM_COLUMNS)
        .sort("customer_id")
    )


def warehouse_rows(warehouse_path: Path, table: str, columns: tuple[str, ...], order_by: str) -> list[tuple]:
    """Rows of a mart from a fresh read-only connection, money as integer cents."""
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        rows = connection.execute(f"select {', '.join(columns)} from {table} order by {order_by}").fetchall()
    return [
        tuple(
            int(value * 100) if name in MONEY and isinstance(value, Decimal) else value
            for name, value in zip(columns, row, strict=True)
        )
        for row in rows
    ]


def frame_rows(frame: pl.DataFrame) -> list[tuple]:
    return list(frame.iter_rows())


@pytest.fixture(scope="module")
def settings(built: Built) -> Settings:
    failures = [event.event_specific_data for event in built.result.all_events if event.is_step_failure]
    assert built.result.success, failures
    return built.settings


@pytest.fixture(scope="module")
def customer_orders(settings: Settings) -> tuple[pl.DataFrame, dt.date]:
    return expected_customer_orders(settings.lake_dir)


def test_customer_clv_equals_polars_from_bronze(
    settings: Settings, customer_orders: tuple[pl.DataFrame, dt.date]
) -> None:
    frame, as_of = customer_orders
    expected = frame_rows(expected_customer_clv(frame, as_of))
    actual = warehouse_rows(settings.warehouse_path, "customer_clv", CLV_COLUMNS, "customer_id")
    assert len(expected) > 0
    assert actual == expected


def test_cohort_retention_equals_polars_from_bronze(
    settings: Settings, customer_orders: tuple[pl.DataFrame, dt.date]
) -> None:
    frame, as_of = customer_orders
    expected = frame_rows(expected_cohort_retention(frame, as_of))
    actual = warehouse_rows(
        settings.warehouse_path, "cohort_retention", COHORT_COLUMNS, "cohort_month, months_since_first_order"
    )
    assert {row[1] for row in expected} == {0, 1}  # the span crosses one month end
    assert actual == expected


def test_customer_rfm_equals_polars_from_bronze(
    settings: Settings, customer_orders: tuple[pl.DataFrame, dt.date]
) -> None:
    frame, as_of = customer_orders
    expected = frame_rows(expected_customer_rfm(frame, as_of))
    actual = warehouse_rows(settings.warehouse_path, "customer_rfm", RFM_COLUMNS, "customer_id")
    assert all(row[-1] is not None for row in expected)
    assert actual == expected


def test_cohort_retention_rates_and_fully_refunded_customers(settings: Settings) -> None:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        month_zero = connection.execute(
            "select min(retention_rate), max(retention_rate) from cohort_retention where months_since_first_order = 0"
        ).fetchone()
        rates = connection.execute("select min(retention_rate), max(retention_rate) from cohort_retention").fetchone()
        nulls = connection.execute(
            "select count(*) from customer_clv where margin_rate is null or refund_rate is null"
            " or margin_per_tenure_month is null"
        ).fetchone()
    assert month_zero == (1.0, 1.0)
    assert 0.0 <= rates[0] <= rates[1] <= 1.0
    assert nulls == (0,)
