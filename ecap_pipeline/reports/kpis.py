"""Headline figures of the last complete period and how they moved against the period before.

A partial period (the current week, or a shop's first days) would make any comparison look like a
collapse or a boom, so the current period is the latest complete one and a delta is only given
against a complete previous period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import polars as pl

Unit = Literal["money", "count", "rate"]
KPI_COLUMNS = ("period_start", "period_end", "is_complete_period", "orders", "customers", "net_revenue", "margin")


@dataclass(frozen=True)
class Kpi:
    """One figure for the current period and, when comparable, the previous one."""

    name: str
    value: float
    previous: float | None
    unit: Unit

    @property
    def delta(self) -> float | None:
        """Relative change for money and counts; change in percentage points (as a fraction) for rates."""
        if self.previous is None:
            return None
        if self.unit == "rate":
            return self.value - self.previous
        if self.previous == 0:
            return None
        return (self.value - self.previous) / self.previous


@dataclass(frozen=True)
class KpiSet:
    """The KPIs of one period; `previous_start` is None when there is no complete period to compare with."""

    period_start: dt.date
    period_end: dt.date
    previous_start: dt.date | None
    kpis: tuple[Kpi, ...]

    def by_name(self) -> dict[str, Kpi]:
        return {kpi.name: kpi for kpi in self.kpis}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _figures(row: dict[str, object]) -> dict[str, tuple[float, Unit]]:
    revenue = float(row["net_revenue"])  # type: ignore[arg-type]
    orders = float(row["orders"])  # type: ignore[arg-type]
    margin = float(row["margin"])  # type: ignore[arg-type]
    return {
        "Net revenue": (revenue, "money"),
        "Orders": (orders, "count"),
        "Average order value": (_ratio(revenue, orders), "money"),
        "Customers": (float(row["customers"]), "count"),  # type: ignore[arg-type]
        "Margin": (margin, "money"),
        "Margin rate": (_ratio(margin, revenue), "rate"),
    }


def period_kpis(periods: pl.DataFrame) -> KpiSet:
    """KPIs of the latest complete period of `periods` (one row per period, KPI_COLUMNS) against the one before.

    With no complete period yet, the latest period is shown without deltas.
    """
    if periods.is_empty():
        msg = "no revenue periods to compute KPIs from"
        raise ValueError(msg)
    ordered = periods.sort("period_start").to_dicts()
    complete = [index for index, row in enumerate(ordered) if row["is_complete_period"]]
    current_index = complete[-1] if complete else len(ordered) - 1
    current = ordered[current_index]
    previous = ordered[current_index - 1] if current_index > 0 else None
    if previous is not None and not previous["is_complete_period"]:
        previous = None
    now = _figures(current)
    before = _figures(previous) if previous is not None else {}
    kpis = tuple(
        Kpi(name, value, before[name][0] if name in before else None, unit) for name, (value, unit) in now.items()
    )
    return KpiSet(
        period_start=current["period_start"],
        period_end=current["period_end"],
        previous_start=previous["period_start"] if previous is not None else None,
        kpis=kpis,
    )


def format_value(kpi: Kpi) -> str:
    """The value as a reader expects it: $ with thousands separators, whole counts, rates in %."""
    if kpi.unit == "money":
        return f"${kpi.value:,.0f}" if abs(kpi.value) >= 1000 else f"${kpi.value:,.2f}"
    if kpi.unit == "rate":
        return f"{kpi.value:.1%}"
    return f"{kpi.value:,.0f}"


def format_delta(kpi: Kpi) -> str:
    """'+12.5%' (relative) or '+1.2 pp' (rates); 'n/a' when there is nothing to compare with."""
    delta = kpi.delta
    if delta is None:
        return "n/a"
    if kpi.unit == "rate":
        return f"{delta * 100:+.1f} pp"
    return f"{delta:+.1%}"
