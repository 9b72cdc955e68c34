"""Churn features: exact values on a hand-made history, and point-in-time correctness."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ecap_pipeline.ml.churn_features import FEATURES, churn_features
from ecap_pipeline.ml.churn_history import ChurnHistory
from tests.unit.ml.churn_factory import day, history_from_rows, simulated_shop

CUTOFF = 100


def _hand_made() -> ChurnHistory:
    return history_from_rows(
        customers=[("A", 0, "loyal", "email"), ("B", 50, "new", "social"), ("C", 95, "new", "direct")],
        orders=[("A", 5, 100.0), ("A", 40, 50.0), ("A", 80, 30.0), ("A", 95, 20.0), ("B", 60, 40.0), ("A", 100, 9.0)],
        sessions=[("A", 95), ("A", 50), ("B", 60), ("C", 96), ("A", 100)],
        returns=[("A", 85, 15.0), ("A", 101, 99.0)],
    )


def test_features_of_a_hand_made_history_are_exact() -> None:
    features = churn_features(_hand_made(), day(CUTOFF))
    assert features.columns == ["customer_id", *FEATURES]
    assert features["customer_id"].to_list() == ["A", "B"]
    a, b = features.to_dicts()
    assert a["recency_days"] == 5
    assert a["tenure_days"] == 100
    assert a["days_since_first_order"] == 95
    assert a["frequency"] == 4
    assert a["monetary_total"] == pytest.approx(200.0)
    assert a["average_order_value"] == pytest.approx(50.0)
    assert (a["orders_30d"], a["orders_90d"]) == (2, 3)
    assert a["order_trend_30_90"] == pytest.approx(2 - 3 / 3)
    assert (a["revenue_30d"], a["revenue_90d"]) == pytest.approx((50.0, 100.0))
    assert a["mean_days_between_orders"] == pytest.approx(30.0)
    assert a["recency_to_gap_ratio"] == pytest.approx(5 / 30)
    assert a["discount_share"] == pytest.approx(0.1 / 1.1)
    assert (a["sessions_30d"], a["sessions_90d"], a["days_since_last_session"]) == (1, 2, 5)
    assert (a["product_views_30d"], a["add_to_carts_30d"]) == (3, 1)
    assert (a["returns_count"], a["refund_total"], a["refund_share"]) == (1, 15.0, pytest.approx(15.0 / 200.0))
    assert (a["behaviour_segment"], a["acquisition_channel"]) == ("loyal", "email")
    assert b["frequency"] == 1
    assert b["mean_days_between_orders"] is None
    assert b["recency_to_gap_ratio"] is None
    assert (b["returns_count"], b["refund_total"]) == (0, 0.0)


def test_a_customer_who_has_not_ordered_before_the_cutoff_is_not_in_the_population() -> None:
    features = churn_features(_hand_made(), day(CUTOFF))
    assert "C" not in features["customer_id"].to_list()


LATER = {"orders": "order_date", "sessions": "session_date", "returns": "return_date", "customers": "signup_date"}
VALUES = {
    "orders": ["gross_revenue", "discount_amount", "net_revenue"],
    "sessions": ["duration_seconds", "product_view_count", "add_to_cart_count"],
    "returns": ["refund_amount"],
    "customers": ["behaviour_segment", "acquisition_channel"],
}


def _delete_later(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col(LATER[name]) < day(CUTOFF))


def _change_later(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    later = pl.col(LATER[name]) >= day(CUTOFF)
    changed = [
        (pl.lit("changed") if frame[column].dtype == pl.String else pl.col(column) * 7 + 1).alias(column)
        for column in VALUES[name]
    ]
    return frame.with_columns(
        pl.when(later).then(value).otherwise(pl.col(value.meta.output_name())) for value in changed
    )


def _add_later(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    extra = history_from_rows(
        customers=[("NEW", CUTOFF + 3, "power", "email")],
        orders=[("NEW", CUTOFF + 4, 500.0), ("C00001", CUTOFF, 80.0), ("C00002", CUTOFF + 30, 8.0)],
        sessions=[("C00001", CUTOFF), ("NEW", CUTOFF + 3)],
        returns=[("C00001", CUTOFF + 1, 5.0)],
    )
    return pl.concat([frame, getattr(extra, name)])


@pytest.mark.parametrize("change", [_delete_later, _change_later, _add_later])
def test_changing_or_deleting_data_after_the_cutoff_leaves_the_features_unchanged(
    change: Callable[[str, pl.DataFrame], pl.DataFrame],
) -> None:
    history, _ = simulated_shop(customers=200, days=160, seed=11)
    before = churn_features(history, day(CUTOFF))
    changed = dataclasses.replace(history, **{name: change(name, getattr(history, name)) for name in LATER})
    assert not all(getattr(changed, name).equals(getattr(history, name)) for name in LATER)
    assert_frame_equal(churn_features(changed, day(CUTOFF)), before)


def test_a_missing_column_names_the_table_and_column() -> None:
    history = _hand_made()
    with pytest.raises(ValueError, match=r"churn input table 'orders' lacks column\(s\) net_revenue"):
        ChurnHistory.from_frames(
            customers=history.customers,
            orders=history.orders.drop("net_revenue"),
            sessions=history.sessions,
            returns=history.returns,
        )


def test_a_null_date_names_the_table_row_and_rule() -> None:
    history = _hand_made()
    sessions = history.sessions.with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(None).otherwise(pl.col("session_date")).alias("session_date")
    )
    with pytest.raises(ValueError, match=r"table 'sessions', row 2: column 'session_date' is null"):
        ChurnHistory.from_frames(
            customers=history.customers, orders=history.orders, sessions=sessions, returns=history.returns
        )
