"""Per-customer summaries from a hand-made order table, with every number worked out by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ecap_pipeline.ml.clv import calibration_holdout_summary, summarise_transactions

END = dt.date(2025, 1, 31)
HOLDOUT_END = dt.date(2025, 2, 28)

# C1 buys twice on Jan 1 (one purchase day worth 15.00), then on Jan 5 and Jan 12, and once more in the holdout.
# C2 buys once. C3 first buys in the holdout. C4 first buys on the last calibration day, then in the holdout
# and once after it.
ORDERS = pl.DataFrame(
    {
        "customer_id": ["C1", "C1", "C1", "C1", "C1", "C2", "C3", "C4", "C4", "C4"],
        "order_date": [
            dt.date(2025, 1, 1),
            dt.date(2025, 1, 1),
            dt.date(2025, 1, 5),
            dt.date(2025, 1, 12),
            dt.date(2025, 2, 3),
            dt.date(2025, 1, 20),
            dt.date(2025, 2, 10),
            dt.date(2025, 1, 31),
            dt.date(2025, 2, 1),
            dt.date(2025, 3, 5),
        ],
        "amount": [10.0, 5.0, 20.0, 40.0, 7.0, 12.5, 30.0, 8.0, 9.0, 11.0],
    }
)
EXPECTED = pl.DataFrame(
    {
        "customer_id": ["C1", "C2", "C4"],
        "frequency": [2, 0, 0],
        "recency": [11.0, 0.0, 0.0],
        "T": [30.0, 11.0, 0.0],
        "monetary_value": [30.0, 0.0, 0.0],
    }
)


def test_summary_counts_repeat_purchase_days_in_days_up_to_the_observation_end() -> None:
    summary = summarise_transactions(ORDERS, observation_end=END)
    assert summary.equals(EXPECTED)


def test_summary_ignores_everything_after_the_observation_end() -> None:
    history = ORDERS.filter(pl.col("order_date") <= END)
    assert summarise_transactions(history, observation_end=END).equals(
        summarise_transactions(ORDERS, observation_end=END)
    )


def test_datetimes_count_on_their_calendar_day() -> None:
    stamped = ORDERS.with_columns(
        pl.col("order_date").cast(pl.Datetime("us", "UTC")) + pl.duration(hours=pl.int_range(pl.len()) % 24)
    )
    assert summarise_transactions(stamped, observation_end=END).equals(EXPECTED)


def test_column_names_are_configurable_and_money_may_be_decimal() -> None:
    renamed = ORDERS.select(
        pl.col("customer_id").alias("buyer"),
        pl.col("order_date").alias("ordered_on"),
        pl.col("amount").cast(pl.Decimal(12, 2)).alias("net_revenue"),
    )
    summary = summarise_transactions(
        renamed, observation_end=END, customer_id="buyer", order_date="ordered_on", amount="net_revenue"
    )
    assert summary.equals(EXPECTED)


def test_holdout_summary_adds_the_purchase_days_between_the_two_ends() -> None:
    summary = calibration_holdout_summary(ORDERS, calibration_end=END, holdout_end=HOLDOUT_END)
    assert summary.equals(EXPECTED.with_columns(holdout_frequency=pl.Series([1, 0, 1], dtype=pl.Int64)))


def test_holdout_must_end_after_the_calibration_period() -> None:
    with pytest.raises(ValueError, match="holdout_end=2025-01-31 must be after calibration_end=2025-01-31"):
        calibration_holdout_summary(ORDERS, calibration_end=END, holdout_end=END)


@pytest.mark.parametrize(
    ("orders", "message"),
    [
        (ORDERS.drop("amount"), r"orders has no amount column 'amount'"),
        (
            ORDERS.with_columns(
                pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise("customer_id").alias("customer_id")
            ),
            r"orders.customer_id must not be null: 1 of 10 rows break it \(first at row 3\)",
        ),
        (
            ORDERS.with_columns(
                pl.when(pl.int_range(pl.len()) == 6).then(None).otherwise("order_date").alias("order_date")
            ),
            r"orders.order_date must not be null: 1 of 10 rows break it \(first at row 6\)",
        ),
        (
            ORDERS.with_columns(pl.when(pl.int_range(pl.len()) >= 8).then(-1.0).otherwise("amount").alias("amount")),
            r"orders.amount must be >= 0: 2 of 10 rows break it \(first at row 8\)",
        ),
        (ORDERS.with_columns(pl.col("order_date").cast(pl.String)), "orders.order_date must be a date or datetime"),
        (ORDERS.with_columns(pl.col("amount").cast(pl.String)), "orders.amount must be numeric"),
    ],
)
def test_bad_orders_raise_naming_the_column_and_row(orders: pl.DataFrame, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        summarise_transactions(orders, observation_end=END)
