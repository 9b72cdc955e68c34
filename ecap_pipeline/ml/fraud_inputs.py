"""The numbers the fraud models read: point-in-time features, rule verdicts, velocity counts.

One function turns conformed transactions into the model-ready frame, so training, evaluation and
scoring all see exactly the same columns; another turns those columns into a matrix.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from ecap_pipeline.ml.fraud_config import FraudRulesConfig
from ecap_pipeline.ml.fraud_features import window_count
from ecap_pipeline.ml.fraud_rules import evaluate_rules, rule_columns

_NO_PREVIOUS_MINUTES = 60.0 * 24 * 365
"""A first order is treated as a year after the (nonexistent) previous one: as unsuspicious as it gets."""

ANOMALY_FEATURES: tuple[str, ...] = (
    "log_amount",
    "item_count",
    "units",
    "units_per_item",
    "log_unit_amount",
    "amount_ratio",
    "log_prior_orders",
    "distance_from_home_km",
    "log_distance_from_previous_km",
    "log_speed_from_previous_kmh",
    "log_minutes_since_previous",
    "is_new_device",
    "is_new_card",
    "is_foreign",
    "customer_orders_1h",
    "device_orders_1h",
    "card_orders_1h",
    "customer_orders_24h",
    "hour_of_day",
    "log_account_age_days",
    "log_min_unit_price",
    "max_line_quantity",
    "discount_share",
)
"""What the IsolationForest sees: the order's shape, without any rule's judgement of it."""


def basket_features() -> list[pl.Expr]:
    """The basket's shape from the order alone: its cheapest line, its biggest line and how discounted it is.

    Card testers buy the cheapest item once; amount outliers stack one line; neither uses a voucher.
    An order without lines (a landed export) is treated as one line of its average unit price.
    """
    unit_amount = pl.col("amount").clip(lower_bound=0.0) / pl.col("units").clip(lower_bound=1)
    gross = pl.col("amount") + pl.col("discount_amount")
    return [
        pl.col("min_unit_price").fill_null(unit_amount).clip(lower_bound=0.0).log1p().alias("log_min_unit_price"),
        pl.col("max_line_quantity").fill_null(pl.col("units")).fill_null(1).alias("max_line_quantity"),
        pl.when(gross > 0)
        .then(pl.col("discount_amount") / gross)
        .otherwise(0.0)
        .fill_null(0.0)
        .clip(0.0, 1.0)
        .alias("discount_share"),
    ]


def model_inputs(transactions: pl.DataFrame, rules: FraudRulesConfig) -> pl.DataFrame:
    """Conformed `transactions`, sorted by time, with rule verdicts and every model feature added."""
    judged = evaluate_rules(transactions, rules)
    return judged.with_columns(
        *basket_features(),
        pl.col("amount").clip(lower_bound=0.0).log1p().alias("log_amount"),
        (pl.col("units") / pl.col("item_count").clip(lower_bound=1)).alias("units_per_item"),
        (pl.col("amount").clip(lower_bound=0.0) / pl.col("units").clip(lower_bound=1)).log1p().alias("log_unit_amount"),
        (pl.col("amount") / pl.col("prior_mean_amount")).fill_null(1.0).fill_nan(1.0).alias("amount_ratio"),
        pl.col("prior_orders").log1p().alias("log_prior_orders"),
        pl.col("distance_from_previous_km").fill_null(0.0).log1p().alias("log_distance_from_previous_km"),
        pl.col("speed_from_previous_kmh").fill_null(0.0).log1p().alias("log_speed_from_previous_kmh"),
        pl.col("minutes_since_previous").fill_null(_NO_PREVIOUS_MINUTES).log1p().alias("log_minutes_since_previous"),
        window_count("customer_id", 60).alias("customer_orders_1h"),
        window_count("device_id", 60).alias("device_orders_1h"),
        window_count("card_id", 60).alias("card_orders_1h"),
        window_count("customer_id", 24 * 60).alias("customer_orders_24h"),
        pl.col("account_age_days").clip(lower_bound=0.0).fill_null(0.0).log1p().alias("log_account_age_days"),
    ).with_columns(pl.col("distance_from_home_km").fill_null(0.0))


def classifier_features(rules: FraudRulesConfig) -> tuple[str, ...]:
    """What the classifier sees: the anomaly features, every rule's verdict, the rule score, the anomaly score."""
    return (*ANOMALY_FEATURES, *rule_columns(rules), "rule_score", "anomaly_score")


def matrix(frame: pl.DataFrame, columns: tuple[str, ...]) -> npt.NDArray[np.float64]:
    """`columns` of `frame` as a float matrix (booleans as 0/1), one row per order."""
    return frame.select(pl.col(column).cast(pl.Float64) for column in columns).to_numpy().astype(np.float64)
