"""Recompute the product marts of the shared tiny build from bronze in polars.

`product_performance`, `market_basket_pairs` and `product_recommendations` must equal an
independent computation from the bronze Delta tables: money in integer cents (bronze floats
rounded once, as staging casts them to decimal(18, 2)), events and returns counted up to the
as-of date (the latest order date), the lifecycle stage and the basket thresholds from the vars
in dbt_project.yml, compared exactly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl
import pytest
import yaml

from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.settings import DBT_PROJECT_DIR, Settings
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration

VARS = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
MONEY = ("gross_revenue", "discount_amount", "net_revenue", "cost", "margin", "refund_amount", "returned_cost")
PERFORMANCE_EXACT = (
    "views",
    "viewing_sessions",
    "add_to_carts",
    "purchases",
    "buyers",
    "units",
    *MONEY,
    "returned_units",
    "margin_after_refunds",
    "first_sale_date",
    "last_sale_date",
    "trailing_net_revenue",
    "previous_trailing_net_revenue",
    "lifecycle_stage",
)
PERFORMANCE_RATES = ("view_to_purchase_rate", "return_rate", "margin_rate", "trailing_net_revenue_growth")
PAIR_COUNTS = ("total_baskets", "antecedent_baskets", "consequent_baskets", "pair_baskets")
PAIR_RATES = ("support", "confidence", "consequent_support", "lift")


class Bronze(NamedTuple):
    """What the product marts read, deduplicated as staging does, money in cents."""

    product_ids: pl.DataFrame
    lines: pl.DataFrame
    returns: pl.DataFrame
    events: pl.DataFrame
    as_of: dt.date


def _cents(column: str) -> pl.Expr:
    return (pl.col(column) * 100).round(0).cast(pl.Int64)


def _latest(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Staging's deduplication: per key, the latest partition, then the latest ingestion."""
    return frame.sort(["partition_date", "_ingested_at"]).unique(subset=key, keep="last", maintain_order=True)


def read_bronze(lake_dir: Path) -> Bronze:
    orders = _latest(read_table(lake_dir, "orders"), ["order_id"]).select(
        "order_id", "customer_id", "session_id", pl.col("ordered_at").dt.date().alias("order_date")
    )
    lines = (
        _latest(read_table(lake_dir, "order_items"), ["order_id", "line_number"])
        .with_columns(_cents("unit_price"), _cents("unit_cost"), _cents("discount_amount"))
        .join(orders, on="order_id", how="left")
        .with_columns(
            (pl.col("quantity") * pl.col("unit_price")).alias("gross_revenue"),
            (pl.col("quantity") * pl.col("unit_cost")).alias("cost"),
        )
        .with_columns((pl.col("gross_revenue") - pl.col("discount_amount")).alias("net_revenue"))
        .with_columns((pl.col("net_revenue") - pl.col("cost")).alias("margin"))
    )
    as_of = lines["order_date"].max()
    assert isinstance(as_of, dt.date)
    returns = (
        _latest(read_table(lake_dir, "returns"), ["return_id"])
        .filter(pl.col("returned_at").dt.date() <= as_of)
        .with_columns(_cents("refund_amount"))
        .drop("product_id")
        .join(lines.select("order_id", "line_number", "product_id", "unit_cost"), on=["order_id", "line_number"])
        .select(
            "product_id",
            pl.col("quantity").alias("returned_units"),
            "refund_amount",
            (pl.col("quantity") * pl.col("unit_cost")).alias("returned_cost"),
        )
    )
    events = (
        _latest(read_table(lake_dir, "events"), ["event_id"])
        .filter(pl.col("product_id").is_not_null() & (pl.col("event_at").dt.date() <= as_of))
        .select("product_id", "session_id", "event_type")
    )
    product_ids = _latest(read_table(lake_dir, "products"), ["product_id"]).select("product_id")
    return Bronze(product_ids, lines, returns, events, as_of)


def lifecycle_stage(first_sale: dt.date | None, trailing: int, previous: int, *, as_of: dt.date) -> str:
    """The stage rule of the model description, on cents, with the thresholds as exact decimals."""
    window = int(VARS["product_lifecycle_window_days"])
    growth = Decimal(str(VARS["product_lifecycle_growth_threshold"]))
    decline = Decimal(str(VARS["product_lifecycle_decline_threshold"]))
    if first_sale is None:
        return "unsold"
    if first_sale > as_of - dt.timedelta(days=window):
        return "introduction"
    if previous == 0:
        return "growth" if trailing > 0 else "decline"
    if trailing > previous * (1 + growth):
        return "growth"
    if trailing < previous * (1 + decline):
        return "decline"
    return "maturity"


def _rate(numerator: str, denominator: str) -> pl.Expr:
    return pl.when(pl.col(denominator) != 0).then(pl.col(numerator) / pl.col(denominator)).otherwise(0.0)


def expected_product_performance(bronze: Bronze) -> pl.DataFrame:
    window = dt.timedelta(days=int(VARS["product_lifecycle_window_days"]))
    trailing_start, previous_start = bronze.as_of - window, bronze.as_of - 2 * window
    in_previous = (pl.col("order_date") > previous_start) & (pl.col("order_date") <= trailing_start)
    sales = bronze.lines.group_by("product_id").agg(
        pl.col("order_id").n_unique().alias("purchases"),
        pl.col("customer_id").n_unique().alias("buyers"),
        pl.col("quantity").sum().alias("units"),
        pl.col("gross_revenue", "discount_amount", "net_revenue", "cost", "margin").sum(),
        pl.col("order_date").min().alias("first_sale_date"),
        pl.col("order_date").max().alias("last_sale_date"),
        pl.col("net_revenue").filter(pl.col("order_date") > trailing_start).sum().alias("trailing_net_revenue"),
        pl.col("net_revenue").filter(in_previous).sum().alias("previous_trailing_net_revenue"),
    )
    refunds = bronze.returns.group_by("product_id").agg(pl.exclude("product_id").sum())
    funnel = bronze.events.group_by("product_id").agg(
        (pl.col("event_type") == "product_view").sum().alias("views"),
        (pl.col("event_type") == "add_to_cart").sum().alias("add_to_carts"),
    )
    bought_in = bronze.lines.select("product_id", "session_id").unique().with_columns(pl.lit(1).alias("bought"))
    conversion = (
        bronze.events.filter(pl.col("event_type") == "product_view")
        .select("product_id", "session_id")
        .unique()
        .join(bought_in, on=["product_id", "session_id"], how="left")
        .group_by("product_id")
        .agg(pl.len().alias("viewing_sessions"), pl.col("bought").count().alias("converted_sessions"))
    )
    counts = ["views", "viewing_sessions", "converted_sessions", "add_to_carts", "purchases", "buyers", "units"]
    sums = [*MONEY, "returned_units", "trailing_net_revenue", "previous_trailing_net_revenue"]
    frame = (
        bronze.product_ids.join(sales, on="product_id", how="left")
        .join(refunds, on="product_id", how="left")
        .join(funnel, on="product_id", how="left")
        .join(conversion, on="product_id", how="left")
        .with_columns(pl.col(counts).fill_null(0).cast(pl.Int64), pl.col(sums).fill_null(0).cast(pl.Int64))
        .with_columns(
            (pl.col("margin") - pl.col("refund_amount") + pl.col("returned_cost")).alias("margin_after_refunds"),
            _rate("converted_sessions", "viewing_sessions").alias("view_to_purchase_rate"),
            _rate("returned_units", "units").alias("return_rate"),
            _rate("margin", "net_revenue").alias("margin_rate"),
            pl.when(pl.col("previous_trailing_net_revenue") != 0)
            .then(pl.col("trailing_net_revenue") / pl.col("previous_trailing_net_revenue") - 1)
            .alias("trailing_net_revenue_growth"),
        )
    )
    stages = [
        lifecycle_stage(
            row["first_sale_date"],
            row["trailing_net_revenue"],
            row["previous_trailing_net_revenue"],
            as_of=bronze.as_of,
        )
        for row in frame.iter_rows(named=True)
    ]
    return frame.with_columns(pl.Series("lifecycle_stage", stages, dtype=pl.String))


def expected_basket_pairs(bronze: Bronze) -> pl.DataFrame:
    """Every frequent pair, both directions, of order and customer baskets."""
    baskets = (
        pl.concat(
            [
                bronze.lines.select(pl.lit(kind).alias("basket_type"), pl.col(column).alias("basket_id"), "product_id")
                for kind, column in (("order", "order_id"), ("customer", "customer_id"))
            ]
        )
        .filter(pl.col("basket_id").is_not_null())
        .unique()
    )
    totals = baskets.group_by("basket_type").agg(pl.col("basket_id").n_unique().alias("total_baskets"))
    holding = baskets.group_by("basket_type", "product_id").agg(pl.len().alias("baskets"))
    min_support = Fraction(str(VARS["market_basket_min_support"]))
    return (
        baskets.join(baskets, on=["basket_type", "basket_id"], suffix="_consequent")
        .filter(pl.col("product_id") != pl.col("product_id_consequent"))
        .group_by("basket_type", "product_id", "product_id_consequent")
        .agg(pl.len().alias("pair_baskets"))
        .rename({"product_id": "antecedent_product_id", "product_id_consequent": "consequent_product_id"})
        .join(totals, on="basket_type")
        .join(
            holding.rename({"product_id": "antecedent_product_id", "baskets": "antecedent_baskets"}),
            on=["basket_type", "antecedent_product_id"],
        )
        .join(
            holding.rename({"product_id": "consequent_product_id", "baskets": "consequent_baskets"}),
            on=["basket_type", "consequent_product_id"],
        )
        .filter(
            (pl.col("pair_baskets") >= int(VARS["market_basket_min_pair_baskets"]))
            & (pl.col("pair_baskets") * min_support.denominator >= pl.col("total_baskets") * min_support.numerator)
        )
        .with_columns(
            (pl.col("pair_baskets") / pl.col("total_baskets")).alias("support"),
            (pl.col("pair_baskets") / pl.col("antecedent_baskets")).alias("confidence"),
            (pl.col("consequent_baskets") / pl.col("total_baskets")).alias("consequent_support"),
            (
                pl.col("pair_baskets").cast(pl.Float64)
                * pl.col("total_baskets")
                / (pl.col("antecedent_baskets").cast(pl.Float64) * pl.col("consequent_baskets"))
            ).alias("lift"),
        )
    )


def expected_recommendations(pairs: pl.DataFrame) -> pl.DataFrame:
    return (
        pairs.filter(pl.col("basket_type") == "customer")
        .sort(
            ["antecedent_product_id", "lift", "confidence", "support", "consequent_product_id"],
            descending=[False, True, True, True, False],
        )
        .with_columns(pl.int_range(1, pl.len() + 1).over("antecedent_product_id").alias("recommendation_rank"))
        .filter(pl.col("recommendation_rank") <= int(VARS["product_recommendations_top_n"]))
        .select(
            pl.col("antecedent_product_id").alias("product_id"),
            pl.col("recommendation_rank").cast(pl.Int32),
            pl.col("consequent_product_id").alias("recommended_product_id"),
            pl.col("pair_baskets").alias("customers_who_bought_both"),
        )
    )


@pytest.fixture(scope="module")
def settings(built: Built) -> Settings:
    failures = [event.event_specific_data for event in built.result.all_events if event.is_step_failure]
    assert built.result.success, failures
    return built.settings


@pytest.fixture(scope="module")
def bronze(settings: Settings) -> Bronze:
    return read_bronze(settings.lake_dir)


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


def _assert_same(
    actual: pl.DataFrame, wanted: pl.DataFrame, keys: list[str], exact: tuple[str, ...], rates: tuple[str, ...]
) -> None:
    joined = wanted.select(*keys, *exact, *rates).join(
        actual.select(*keys, *exact, *rates), on=keys, how="full", suffix="_actual"
    )
    assert joined.height == wanted.height == actual.height
    for column in exact:
        assert joined[column].eq_missing(joined[f"{column}_actual"]).all(), column
    for column in rates:
        left, right = joined[column], joined[f"{column}_actual"]
        close = ((left - right).abs() <= 1e-12 * left.abs().clip(lower_bound=1)).fill_null(value=False)
        assert (close | (left.is_null() & right.is_null())).all(), column


def test_product_performance_equals_bronze(settings: Settings, bronze: Bronze) -> None:
    actual = _query(settings, "select * from product_performance")
    wanted = expected_product_performance(bronze)
    _assert_same(actual, wanted, ["product_id"], PERFORMANCE_EXACT, PERFORMANCE_RATES)
    assert set(actual["as_of_date"]) == {bronze.as_of}
    # the build has what the columns are about: views, sales, returns and never-sold products
    assert wanted["views"].sum() > 0
    assert wanted["returned_units"].sum() > 0
    assert (wanted["lifecycle_stage"] == "unsold").any()


def test_never_sold_products_have_zeros_not_nulls(settings: Settings) -> None:
    unsold = _query(settings, "select * from product_performance where lifecycle_stage = 'unsold'")
    assert unsold.height > 0
    zeros = [
        "purchases",
        "buyers",
        "units",
        *MONEY,
        "returned_units",
        "net_revenue_after_refunds",
        "margin_after_refunds",
        "margin_rate",
        "return_rate",
        "trailing_net_revenue",
        "previous_trailing_net_revenue",
    ]
    for column in zeros:
        assert unsold[column].null_count() == 0, column
        assert (unsold[column] == 0).all(), column
    for column in ("views", "viewing_sessions", "add_to_carts", "view_to_purchase_rate"):
        assert unsold[column].null_count() == 0, column


def test_market_basket_pairs_equal_bronze(settings: Settings, bronze: Bronze) -> None:
    actual = _query(settings, "select * from market_basket_pairs")
    wanted = expected_basket_pairs(bronze)
    keys = ["basket_type", "antecedent_product_id", "consequent_product_id"]
    _assert_same(actual, wanted, keys, PAIR_COUNTS, PAIR_RATES)
    assert (wanted["basket_type"] == "customer").any()


def test_product_recommendations_equal_bronze(settings: Settings, bronze: Bronze) -> None:
    actual = _query(settings, "select * from product_recommendations")
    wanted = expected_recommendations(expected_basket_pairs(bronze))
    assert wanted.height > 0
    keys = ["product_id", "recommendation_rank"]
    _assert_same(actual, wanted, keys, ("recommended_product_id", "customers_who_bought_both"), ())
