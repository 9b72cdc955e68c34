"""Per-customer purchase summaries for the CLV models, from a table of orders, as of a given day.

This is the point-in-time piece: a summary as of `observation_end` uses only the orders placed on
or before that day, so the same orders give the same inputs however much later history exists.
Times are in days. Orders on the same day count as one transaction with their amounts summed:
the models work on purchase occasions, and a day is the resolution of the dates (the convention
of Fader & Hardie's CDNOW analyses).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

SUMMARY_SCHEMA = {
    "customer_id": pl.String,
    "frequency": pl.Int64,
    "recency": pl.Float64,
    "T": pl.Float64,
    "monetary_value": pl.Float64,
}
"""`summarise_transactions`' output; `calibration_holdout_summary` adds `holdout_frequency` (Int64)."""


def summarise_transactions(
    orders: pl.DataFrame,
    *,
    observation_end: dt.date,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
) -> pl.DataFrame:
    """One row per customer who bought on or before `observation_end`, sorted by customer_id.

    `frequency` is the number of purchase days after the first, `recency` the days from the first
    to the last, `T` the days from the first to `observation_end`, and `monetary_value` the mean
    amount of the repeat purchase days (0 for a customer with none: the first purchase is left
    out, as the Gamma-Gamma model expects). `order_date` may be a date or a datetime (a datetime
    counts on its calendar date in its own time zone). A missing column, a null or a negative
    amount raises, naming the column and the first bad row.
    """
    days = _purchase_days(orders, customer_id=customer_id, order_date=order_date, amount=amount)
    return _summary(days.filter(pl.col("day") <= observation_end), observation_end)


def calibration_holdout_summary(
    orders: pl.DataFrame,
    *,
    calibration_end: dt.date,
    holdout_end: dt.date,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
) -> pl.DataFrame:
    """`summarise_transactions` as of `calibration_end`, plus each customer's `holdout_frequency`.

    `holdout_frequency` counts their purchase days in (calibration_end, holdout_end]: what the
    model, fitted on the calibration summary, should predict over a horizon of
    (holdout_end - calibration_end) days. Customers who first buy in the holdout are left out.
    """
    if holdout_end <= calibration_end:
        msg = f"holdout_end={holdout_end} must be after calibration_end={calibration_end}"
        raise ValueError(msg)
    days = _purchase_days(orders, customer_id=customer_id, order_date=order_date, amount=amount)
    calibration = _summary(days.filter(pl.col("day") <= calibration_end), calibration_end)
    holdout = (
        days.filter((pl.col("day") > calibration_end) & (pl.col("day") <= holdout_end))
        .group_by("customer_id")
        .agg(pl.len().cast(pl.Int64).alias("holdout_frequency"))
    )
    return calibration.join(holdout, on="customer_id", how="left").with_columns(
        pl.col("holdout_frequency").fill_null(0)
    )


def _purchase_days(orders: pl.DataFrame, *, customer_id: str, order_date: str, amount: str) -> pl.DataFrame:
    """(customer_id, day, amount) with one row per customer and purchase day, after checking the columns."""
    for role, column in (("customer_id", customer_id), ("order_date", order_date), ("amount", amount)):
        if column not in orders.columns:
            msg = f"orders has no {role} column {column!r}; its columns are {orders.columns}"
            raise ValueError(msg)
        _fail_on_rows(orders, pl.col(column).is_null(), f"orders.{column} must not be null")
    if not orders.schema[order_date].is_temporal() or orders.schema[order_date] == pl.Time:
        msg = f"orders.{order_date} must be a date or datetime column, got {orders.schema[order_date]}"
        raise ValueError(msg)
    if not orders.schema[amount].is_numeric():
        msg = f"orders.{amount} must be numeric, got {orders.schema[amount]}"
        raise ValueError(msg)
    _fail_on_rows(orders, pl.col(amount) < 0, f"orders.{amount} must be >= 0")
    return (
        orders.select(
            pl.col(customer_id).cast(pl.String).alias("customer_id"),
            pl.col(order_date).cast(pl.Date).alias("day"),
            pl.col(amount).cast(pl.Float64).alias("amount"),
        )
        .group_by("customer_id", "day")
        .agg(pl.col("amount").sum())
    )


def _summary(days: pl.DataFrame, observation_end: dt.date) -> pl.DataFrame:
    first_day = pl.col("day").min().over("customer_id")
    return (
        days.with_columns(is_repeat=pl.col("day") > first_day)
        .group_by("customer_id")
        .agg(
            (pl.col("is_repeat").sum().cast(pl.Int64)).alias("frequency"),
            ((pl.col("day").max() - pl.col("day").min()).dt.total_days().cast(pl.Float64)).alias("recency"),
            ((pl.lit(observation_end) - pl.col("day").min()).dt.total_days().cast(pl.Float64)).alias("T"),
            pl.col("amount").filter(pl.col("is_repeat")).mean().fill_null(0.0).alias("monetary_value"),
        )
        .sort("customer_id")
        .select(list(SUMMARY_SCHEMA))
    )


def _fail_on_rows(orders: pl.DataFrame, bad: pl.Expr, rule: str) -> None:
    rows = orders.with_row_index("row").filter(bad)
    if rows.height:
        msg = f"{rule}: {rows.height} of {orders.height} rows break it (first at row {rows['row'][0]})"
        raise ValueError(msg)
