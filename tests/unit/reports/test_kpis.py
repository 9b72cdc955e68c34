"""KPI math: the last complete week against the complete week before it."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ecap_pipeline.reports.kpis import Kpi, format_delta, format_value, period_kpis


def weeks(*rows: tuple[str, bool, int, int, float, float]) -> pl.DataFrame:
    starts = [dt.date.fromisoformat(start) for start, *_ in rows]
    return pl.DataFrame(
        {
            "period_start": starts,
            "period_end": [start + dt.timedelta(days=6) for start in starts],
            "is_complete_period": [row[1] for row in rows],
            "orders": [row[2] for row in rows],
            "customers": [row[3] for row in rows],
            "net_revenue": [row[4] for row in rows],
            "margin": [row[5] for row in rows],
        }
    )


def test_kpis_compare_the_last_complete_week_with_the_one_before_and_skip_the_partial_week() -> None:
    kpis = period_kpis(
        weeks(
            ("2025-09-08", True, 50, 40, 5000.0, 2000.0),
            ("2025-09-15", True, 60, 45, 6600.0, 2310.0),
            ("2025-09-22", False, 10, 9, 900.0, 400.0),  # the week in progress
        )
    )
    figures = kpis.by_name()
    assert kpis.period_start == dt.date(2025, 9, 15)
    assert kpis.previous_start == dt.date(2025, 9, 8)
    assert figures["Net revenue"].value == 6600.0
    assert figures["Net revenue"].delta == pytest.approx(0.32)
    assert figures["Orders"].delta == pytest.approx(0.2)
    assert figures["Average order value"].value == pytest.approx(110.0)
    assert figures["Average order value"].delta == pytest.approx(0.1)  # 110 vs 100
    assert figures["Customers"].delta == pytest.approx(0.125)
    assert figures["Margin"].delta == pytest.approx(0.155)
    assert figures["Margin rate"].value == pytest.approx(0.35)
    assert figures["Margin rate"].delta == pytest.approx(-0.05)  # 35% vs 40%: points, not relative


def test_kpis_give_no_delta_against_a_partial_previous_week() -> None:
    kpis = period_kpis(weeks(("2025-09-03", False, 5, 5, 500.0, 200.0), ("2025-09-08", True, 50, 40, 5000.0, 2000.0)))
    assert kpis.previous_start is None
    assert all(kpi.delta is None for kpi in kpis.kpis)
    assert kpis.by_name()["Orders"].value == 50


def test_kpis_fall_back_to_the_latest_week_when_none_is_complete() -> None:
    kpis = period_kpis(weeks(("2025-09-08", False, 3, 2, 300.0, 90.0)))
    assert kpis.period_start == dt.date(2025, 9, 8)
    assert kpis.by_name()["Net revenue"].value == 300.0
    assert kpis.by_name()["Net revenue"].delta is None


def test_a_week_without_orders_has_zero_order_value_and_no_relative_delta_from_zero() -> None:
    kpis = period_kpis(weeks(("2025-09-08", True, 0, 0, 0.0, 0.0), ("2025-09-15", True, 4, 4, 400.0, 100.0))).by_name()
    assert kpis["Average order value"].previous == 0.0
    assert kpis["Net revenue"].delta is None
    assert kpis["Margin rate"].delta == pytest.approx(0.25)


def test_no_periods_is_an_error_not_a_zero_report() -> None:
    with pytest.raises(ValueError, match="no revenue periods"):
        period_kpis(weeks().clear())


@pytest.mark.parametrize(
    ("kpi", "value", "delta"),
    [
        (Kpi("Net revenue", 12345.6, 10000.0, "money"), "$12,346", "+23.5%"),
        (Kpi("Average order value", 98.765, 100.0, "money"), "$98.77", "-1.2%"),
        (Kpi("Orders", 1500, None, "count"), "1,500", "n/a"),
        (Kpi("Margin rate", 0.315, 0.3, "rate"), "31.5%", "+1.5 pp"),
    ],
)
def test_kpis_are_formatted_as_a_reader_expects(kpi: Kpi, value: str, delta: str) -> None:
    assert format_value(kpi) == value
    assert format_delta(kpi) == delta
