"""Point-in-time churn features: one row per customer who had ordered before a cutoff day.

Every feature comes from `ChurnHistory.before(cutoff)`, so it is computed only from rows dated
before the cutoff; rows on or after it cannot move a single value. Windows ("last 30 days") are the
30 days just before the cutoff. A feature that has no meaning for a customer (the gap between
orders of a one-order customer) is null, which the gradient-boosting model handles natively.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ecap_pipeline.ml.churn_history import ChurnHistory

CATEGORICAL_FEATURES: tuple[str, ...] = ("behaviour_segment", "acquisition_channel")
NUMERIC_FEATURES: tuple[str, ...] = (
    "recency_days",
    "tenure_days",
    "days_since_first_order",
    "frequency",
    "monetary_total",
    "average_order_value",
    "orders_30d",
    "orders_90d",
    "order_trend_30_90",
    "revenue_30d",
    "revenue_90d",
    "mean_days_between_orders",
    "recency_to_gap_ratio",
    "discount_share",
    "sessions_30d",
    "sessions_90d",
    "session_trend_30_90",
    "days_since_last_session",
    "mean_session_seconds",
    "product_views_30d",
    "add_to_carts_30d",
    "returns_count",
    "refund_total",
    "refund_share",
)
FEATURES: tuple[str, ...] = (*NUMERIC_FEATURES, *CATEGORICAL_FEATURES)
"""Every model input, in the order the model sees them."""


def churn_features(history: ChurnHistory, cutoff: dt.date) -> pl.DataFrame:
    """`customer_id` plus FEATURES for every customer with an order before `cutoff`, sorted by id.

    A customer who has not ordered yet is not a customer who can churn, so they are left out.
    """
    known = history.before(cutoff)
    orders = _order_features(known.orders, cutoff)
    return (
        orders.join(_session_features(known.sessions, cutoff), on="customer_id", how="left")
        .join(_return_features(known.returns), on="customer_id", how="left")
        .join(known.customers, on="customer_id", how="left")
        .with_columns(
            tenure_days=_days_before(cutoff, "signup_date"),
            sessions_30d=pl.col("sessions_30d").fill_null(0),
            sessions_90d=pl.col("sessions_90d").fill_null(0),
            product_views_30d=pl.col("product_views_30d").fill_null(0),
            add_to_carts_30d=pl.col("add_to_carts_30d").fill_null(0),
            returns_count=pl.col("returns_count").fill_null(0),
            refund_total=pl.col("refund_total").fill_null(0.0),
        )
        .with_columns(
            session_trend_30_90=pl.col("sessions_30d") - pl.col("sessions_90d") / 3,
            refund_share=_ratio("refund_total", "monetary_total"),
        )
        .select("customer_id", *(pl.col(name).cast(pl.Float64) for name in NUMERIC_FEATURES), *CATEGORICAL_FEATURES)
        .sort("customer_id")
    )


def _order_features(orders: pl.DataFrame, cutoff: dt.date) -> pl.DataFrame:
    in_30 = pl.col("order_date") >= cutoff - dt.timedelta(days=30)
    in_90 = pl.col("order_date") >= cutoff - dt.timedelta(days=90)
    return (
        orders.group_by("customer_id")
        .agg(
            first_order=pl.col("order_date").min(),
            last_order=pl.col("order_date").max(),
            frequency=pl.len(),
            monetary_total=pl.col("net_revenue").sum(),
            gross_total=pl.col("gross_revenue").sum(),
            discount_total=pl.col("discount_amount").sum(),
            orders_30d=in_30.sum(),
            orders_90d=in_90.sum(),
            revenue_30d=pl.col("net_revenue").filter(in_30).sum(),
            revenue_90d=pl.col("net_revenue").filter(in_90).sum(),
        )
        .with_columns(
            recency_days=_days_before(cutoff, "last_order"),
            days_since_first_order=_days_before(cutoff, "first_order"),
            average_order_value=pl.col("monetary_total") / pl.col("frequency"),
            order_trend_30_90=pl.col("orders_30d") - pl.col("orders_90d") / 3,
            mean_days_between_orders=pl.when(pl.col("frequency") > 1).then(
                (pl.col("last_order") - pl.col("first_order")).dt.total_days() / (pl.col("frequency") - 1)
            ),
            discount_share=_ratio("discount_total", "gross_total"),
        )
        .with_columns(recency_to_gap_ratio=_ratio("recency_days", "mean_days_between_orders"))
    )


def _session_features(sessions: pl.DataFrame, cutoff: dt.date) -> pl.DataFrame:
    in_30 = pl.col("session_date") >= cutoff - dt.timedelta(days=30)
    in_90 = pl.col("session_date") >= cutoff - dt.timedelta(days=90)
    return sessions.group_by("customer_id").agg(
        sessions_30d=in_30.sum(),
        sessions_90d=in_90.sum(),
        days_since_last_session=(pl.lit(cutoff) - pl.col("session_date").max()).dt.total_days(),
        mean_session_seconds=pl.col("duration_seconds").mean(),
        product_views_30d=pl.col("product_view_count").filter(in_30).sum(),
        add_to_carts_30d=pl.col("add_to_cart_count").filter(in_30).sum(),
    )


def _return_features(returns: pl.DataFrame) -> pl.DataFrame:
    return returns.group_by("customer_id").agg(returns_count=pl.len(), refund_total=pl.col("refund_amount").sum())


def _days_before(cutoff: dt.date, column: str) -> pl.Expr:
    return (pl.lit(cutoff) - pl.col(column)).dt.total_days()


def _ratio(numerator: str, denominator: str) -> pl.Expr:
    """numerator / denominator, null where the denominator is null or not positive."""
    return pl.when(pl.col(denominator) > 0).then(pl.col(numerator) / pl.col(denominator))
