"""The shop history the churn model reads, checked once, and cut at a cutoff day.

The churn model sees four tables: customers (static attributes), orders, sessions and returns, each
with the UTC day it happened on. Everything the features know about a cutoff comes through
`ChurnHistory.before(cutoff)`, which keeps only rows dated strictly before the cutoff day: that one
filter is what makes the features point-in-time, so they cannot change when later data does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

CUSTOMERS_SCHEMA: Mapping[str, pl.DataType] = {
    "customer_id": pl.String(),
    "signup_date": pl.Date(),
    "behaviour_segment": pl.String(),
    "acquisition_channel": pl.String(),
}
ORDERS_SCHEMA: Mapping[str, pl.DataType] = {
    "customer_id": pl.String(),
    "order_date": pl.Date(),
    "gross_revenue": pl.Float64(),
    "discount_amount": pl.Float64(),
    "net_revenue": pl.Float64(),
}
SESSIONS_SCHEMA: Mapping[str, pl.DataType] = {
    "customer_id": pl.String(),
    "session_date": pl.Date(),
    "duration_seconds": pl.Float64(),
    "product_view_count": pl.Int64(),
    "add_to_cart_count": pl.Int64(),
}
RETURNS_SCHEMA: Mapping[str, pl.DataType] = {
    "customer_id": pl.String(),
    "return_date": pl.Date(),
    "refund_amount": pl.Float64(),
}
_DATE_COLUMNS = {
    "customers": "signup_date",
    "orders": "order_date",
    "sessions": "session_date",
    "returns": "return_date",
}


class ChurnDataError(ValueError):
    """The data cannot give an honest churn model: too short a range, no churners, no customers."""


@dataclass(frozen=True)
class ChurnHistory:
    """Customers, orders, sessions and returns observed up to and including `observed_until`."""

    customers: pl.DataFrame
    orders: pl.DataFrame
    sessions: pl.DataFrame
    returns: pl.DataFrame
    observed_until: dt.date
    """The last day the data covers: a label window may not reach past it."""

    @classmethod
    def from_frames(
        cls,
        *,
        customers: pl.DataFrame,
        orders: pl.DataFrame,
        sessions: pl.DataFrame,
        returns: pl.DataFrame,
        observed_until: dt.date | None = None,
    ) -> ChurnHistory:
        """The four tables cast to their contract; a missing column or a null key or date raises.

        `observed_until` defaults to the latest order or session day, the data's own as-of date
        (as the warehouse marts define it).
        """
        conformed_orders = _conform("orders", orders, ORDERS_SCHEMA)
        conformed_sessions = _conform("sessions", sessions, SESSIONS_SCHEMA)
        if observed_until is None:
            ends = (conformed_orders["order_date"].max(), conformed_sessions["session_date"].max())
            latest = [day for day in ends if day is not None]
            if not latest:
                msg = "churn has nothing to learn from: the orders and sessions tables are empty"
                raise ChurnDataError(msg)
            observed_until = max(latest)
        return cls(
            customers=_conform("customers", customers, CUSTOMERS_SCHEMA),
            orders=conformed_orders,
            sessions=conformed_sessions,
            returns=_conform("returns", returns, RETURNS_SCHEMA),
            observed_until=observed_until,
        )

    @property
    def first_day(self) -> dt.date | None:
        """The earliest order or session day, or None when there is neither."""
        days = [frame[column].min() for frame, column in ((self.orders, "order_date"), (self.sessions, "session_date"))]
        known = [day for day in days if day is not None]
        return min(known) if known else None

    def before(self, cutoff: dt.date) -> ChurnHistory:
        """Only what was known at the start of `cutoff`: rows dated strictly before it."""
        return ChurnHistory(
            customers=self.customers.filter(pl.col("signup_date") < cutoff),
            orders=self.orders.filter(pl.col("order_date") < cutoff),
            sessions=self.sessions.filter(pl.col("session_date") < cutoff),
            returns=self.returns.filter(pl.col("return_date") < cutoff),
            observed_until=min(self.observed_until, cutoff - dt.timedelta(days=1)),
        )


def _conform(table: str, frame: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    missing = [column for column in schema if column not in frame.columns]
    if missing:
        msg = f"churn input table {table!r} lacks column(s) {', '.join(missing)}; it has: {', '.join(frame.columns)}"
        raise ValueError(msg)
    try:
        conformed = frame.select(pl.col(column).cast(dtype) for column, dtype in schema.items())
    except pl.exceptions.InvalidOperationError as error:
        msg = f"churn input table {table!r}: a column cannot be read as its contract type {dict(schema)}: {error}"
        raise ValueError(msg) from None
    for column in ("customer_id", _DATE_COLUMNS[table]):
        nulls = conformed[column].is_null()
        if nulls.any():
            row = int(nulls.arg_true()[0])
            msg = f"churn input table {table!r}, row {row}: column {column!r} is null; every row needs one"
            raise ValueError(msg)
    return conformed
