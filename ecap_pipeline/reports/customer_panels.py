"""Customer panels: RFM segments as a treemap and acquisition-cohort retention as a heatmap."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from ecap_pipeline.reports.panel import Panel, styled


def rfm_treemap(frame: pl.DataFrame, *, title: str) -> Panel:
    """One tile per RFM segment, sized by customers and coloured by their total spend.

    `frame`: segment, customers, monetary.
    """
    ordered = frame.sort("customers", descending=True)
    segments = ordered["segment"].to_list()
    figure = go.Figure(
        go.Treemap(
            # An explicit root coloured at the scale's zero, so the frame around the tiles stays white.
            labels=[ROOT, *segments],
            parents=["", *[ROOT] * len(segments)],
            values=[int(ordered["customers"].sum()), *ordered["customers"].to_list()],
            marker={
                "colors": [0.0, *ordered["monetary"].to_list()],
                "colorscale": "Blues",
                "cmin": 0,
                "showscale": True,
                "colorbar": {"title": {"text": "spend"}, "tickprefix": "$"},
            },
            texttemplate="%{label}<br>%{value} customers",
            hovertemplate="%{label}<br>%{value} customers<br>spend $%{color:,.0f}<extra></extra>",
            branchvalues="total",
        )
    )
    return Panel(title=title, figure=styled(figure, height=420), rows=ordered.height)


ROOT = "All customers"


def _month_label(month: object) -> str:
    return f"{month:%Y-%m}" if isinstance(month, dt.date) else str(month)


def cohort_heatmap(frame: pl.DataFrame, *, title: str) -> Panel:
    """Retention rate by acquisition month (rows) and months since the first order (columns).

    `frame`: cohort_month, months_since_first_order, retention_rate. Cells a cohort has not reached
    yet stay empty rather than reading as 0% retention.
    """
    wide = (
        frame.sort("months_since_first_order")
        .pivot(on="months_since_first_order", index="cohort_month", values="retention_rate")
        .sort("cohort_month")
    )
    months = [column for column in wide.columns if column != "cohort_month"]
    rates = wide.select(months).rows()
    figure = go.Figure(
        go.Heatmap(
            z=[list(row) for row in rates],
            x=[int(month) for month in months],
            y=[_month_label(month) for month in wide["cohort_month"].to_list()],
            colorscale="Greens",
            zmin=0,
            zmax=1,
            text=[["" if value is None else f"{value:.0%}" for value in row] for row in rates],
            texttemplate="%{text}",
            hovertemplate="cohort %{y}, month %{x}: %{z:.1%}<extra></extra>",
        )
    )
    figure.update_xaxes(title_text="months since first order", dtick=1)
    figure.update_yaxes(title_text="cohort (first order month)", type="category", autorange="reversed")
    return Panel(title=title, figure=styled(figure), rows=frame.height)
