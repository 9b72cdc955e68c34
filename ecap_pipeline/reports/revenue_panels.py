"""Revenue panels: the daily trend with its moving averages, and revenue split by one dimension."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ecap_pipeline.reports.panel import PALETTE, Panel, styled


def revenue_trend(frame: pl.DataFrame, *, title: str) -> Panel:
    """Daily net revenue as bars with the 7- and 28-day moving averages as lines.

    `frame`: date_day, net_revenue, net_revenue_7d_moving_avg, net_revenue_28d_moving_avg (a moving
    average is null until its window is full, and then the line simply starts later).
    """
    ordered = frame.sort("date_day")
    days = ordered["date_day"].to_list()
    figure = go.Figure(
        [
            go.Bar(x=days, y=ordered["net_revenue"].to_list(), name="Net revenue", marker_color="#aed6f1"),
            go.Scatter(
                x=days,
                y=ordered["net_revenue_7d_moving_avg"].to_list(),
                name="7-day moving average",
                mode="lines",
                line={"color": PALETTE[0], "width": 2},
            ),
            go.Scatter(
                x=days,
                y=ordered["net_revenue_28d_moving_avg"].to_list(),
                name="28-day moving average",
                mode="lines",
                line={"color": PALETTE[2], "width": 2, "dash": "dash"},
            ),
        ]
    )
    figure.update_yaxes(title_text="USD", tickprefix="$")
    return Panel(title=title, figure=styled(figure), rows=ordered.height)


def revenue_by_dimension(frame: pl.DataFrame, *, title: str, dimension: str) -> Panel:
    """Net revenue and margin per value of one dimension, largest first.

    `frame`: dimension_value, net_revenue, margin.
    """
    ordered = frame.sort("net_revenue", descending=True)
    labels = ordered["dimension_value"].to_list()
    figure = go.Figure(
        [
            go.Bar(x=labels, y=ordered["net_revenue"].to_list(), name="Net revenue", marker_color=PALETTE[0]),
            go.Bar(x=labels, y=ordered["margin"].to_list(), name="Margin", marker_color=PALETTE[3]),
        ]
    )
    figure.update_layout(barmode="group")
    figure.update_xaxes(title_text=dimension)
    figure.update_yaxes(title_text="USD", tickprefix="$")
    return Panel(title=title, figure=styled(figure, height=340), rows=ordered.height)
