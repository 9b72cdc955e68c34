"""The executive report: every panel read from the marts, assembled into one offline HTML file."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from ecap_pipeline.reports import queries
from ecap_pipeline.reports.customer_panels import cohort_heatmap, rfm_treemap
from ecap_pipeline.reports.geo_panels import country_choropleth
from ecap_pipeline.reports.html import render_report
from ecap_pipeline.reports.journey_panels import attribution_comparison, funnel
from ecap_pipeline.reports.kpis import KpiSet, period_kpis
from ecap_pipeline.reports.marts import MartReader, MartUnavailableError, open_marts
from ecap_pipeline.reports.panel import Panel, unavailable
from ecap_pipeline.reports.revenue_panels import revenue_by_dimension, revenue_trend
from ecap_pipeline.reports.risk_panels import churn_distribution, fraud_by_priority

Builder = Callable[..., Panel]
PANELS: tuple[tuple[queries.PanelQuery, Builder], ...] = (
    (queries.REVENUE_TREND, revenue_trend),
    (queries.REVENUE_BY_CATEGORY, partial(revenue_by_dimension, dimension="category")),
    (queries.REVENUE_BY_CHANNEL, partial(revenue_by_dimension, dimension="acquisition channel")),
    (queries.RFM_SEGMENTS, rfm_treemap),
    (queries.COHORT_RETENTION, cohort_heatmap),
    (queries.FUNNEL, funnel),
    (queries.ATTRIBUTION, attribution_comparison),
    (queries.GEOGRAPHY, country_choropleth),
    (queries.CHURN_RISK, churn_distribution),
    (queries.FRAUD_ALERTS, fraud_by_priority),
)
"""Panels in page order, each with the query it is drawn from."""


@dataclass(frozen=True)
class ReportResult:
    """What was written, for the asset's metadata and the CLI's message."""

    path: Path
    size_bytes: int
    kpis: KpiSet | None
    panels: tuple[Panel, ...]
    seconds: float


def read_panel_frame(marts: MartReader, query: queries.PanelQuery) -> pl.DataFrame:
    """The query's result; MartUnavailableError (with the query's hint) when a table is absent or it is empty."""
    try:
        marts.require(*query.tables)
    except MartUnavailableError as error:
        msg = f"{error}; {query.hint}"
        raise MartUnavailableError(msg) from None
    frame = marts.frame(query.sql)
    if frame.is_empty():
        msg = f"{', '.join(query.tables)} has no rows to show; {query.hint}"
        raise MartUnavailableError(msg)
    return frame


def build_panel(marts: MartReader, query: queries.PanelQuery, builder: Builder) -> Panel:
    """The panel, or a 'not available' note when its marts are missing or empty."""
    try:
        frame = read_panel_frame(marts, query)
    except MartUnavailableError as error:
        return unavailable(query.title, str(error))
    return builder(frame, title=query.title)


def build_kpis(marts: MartReader) -> KpiSet | str:
    """The KPI set, or why there is none."""
    try:
        return period_kpis(read_panel_frame(marts, queries.KPIS))
    except MartUnavailableError as error:
        return str(error)


def build_executive_report(warehouse: Path, output: Path, *, title: str = "ECAP executive report") -> ReportResult:
    """Read the marts of `warehouse` (read-only) and write the report to `output`, replacing it atomically."""
    started = time.perf_counter()
    with open_marts(warehouse) as marts:
        kpis = build_kpis(marts)
        panels = tuple(build_panel(marts, query, builder) for query, builder in PANELS)
    html = render_report(title=title, kpis=kpis, panels=panels)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial_path = output.with_name(output.name + ".partial")
    partial_path.write_text(html, encoding="utf-8")
    partial_path.replace(output)
    return ReportResult(
        path=output,
        size_bytes=output.stat().st_size,
        kpis=kpis if isinstance(kpis, KpiSet) else None,
        panels=panels,
        seconds=time.perf_counter() - started,
    )
