"""Risk panels: how churn risk is spread over customers, and open fraud alerts by priority."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ecap_pipeline.reports.panel import Panel, styled

RISK_BAND_COLOURS = {"low": "#27ae60", "medium": "#f39c12", "high": "#c0392b"}
PRIORITY_ORDER = ("critical", "high", "medium", "low")
PRIORITY_COLOURS = {"critical": "#7b241c", "high": "#c0392b", "medium": "#f39c12", "low": "#f7dc6f"}
CHURN_BIN_WIDTH = 0.05
"""Probabilities are binned in the query, so the page carries 20 bars, not one value per customer."""


def churn_distribution(frame: pl.DataFrame, *, title: str) -> Panel:
    """Customers per churn-probability bin, stacked by risk band.

    `frame`: bin_start (a multiple of CHURN_BIN_WIDTH), risk_band, customers.
    """
    figure = go.Figure()
    bands = frame["risk_band"].unique().to_list()
    for band in [b for b in RISK_BAND_COLOURS if b in bands] + sorted(set(bands) - set(RISK_BAND_COLOURS)):
        rows = frame.filter(pl.col("risk_band") == band).sort("bin_start")
        figure.add_bar(
            x=[round(value + CHURN_BIN_WIDTH / 2, 3) for value in rows["bin_start"].to_list()],
            y=rows["customers"].to_list(),
            width=CHURN_BIN_WIDTH,
            name=f"{band} risk",
            marker_color=RISK_BAND_COLOURS.get(band, "#7f8c8d"),
        )
    figure.update_layout(barmode="stack", bargap=0.05)
    figure.update_xaxes(title_text="churn probability", range=[0, 1], tickformat=".0%")
    figure.update_yaxes(title_text="customers")
    return Panel(title=title, figure=styled(figure, height=340), rows=frame.height)


def fraud_by_priority(frame: pl.DataFrame, *, title: str) -> Panel:
    """Fraud alerts and the order value at stake per priority, most urgent first.

    `frame`: priority, alerts, amount.
    """
    present = frame["priority"].to_list()
    order = [p for p in PRIORITY_ORDER if p in present] + sorted(set(present) - set(PRIORITY_ORDER))
    rows = {row["priority"]: row for row in frame.to_dicts()}
    figure = go.Figure(
        go.Bar(
            x=order,
            y=[rows[priority]["alerts"] for priority in order],
            marker_color=[PRIORITY_COLOURS.get(priority, "#7f8c8d") for priority in order],
            customdata=[rows[priority]["amount"] for priority in order],
            text=[rows[priority]["alerts"] for priority in order],
            textposition="outside",
            hovertemplate="%{x}: %{y} alerts, $%{customdata:,.0f} at stake<extra></extra>",
            name="alerts",
        )
    )
    figure.update_xaxes(title_text="priority")
    figure.update_yaxes(title_text="alerts")
    return Panel(title=title, figure=styled(figure, height=320), rows=frame.height)
