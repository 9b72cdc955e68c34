"""Customer journey panels: the session funnel and the five attribution models side by side."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ecap_pipeline.reports.panel import PALETTE, Panel, styled

FUNNEL_STEPS: tuple[tuple[str, str], ...] = (
    ("sessions", "Sessions"),
    ("product_view_sessions", "Viewed a product"),
    ("add_to_cart_sessions", "Added to cart"),
    ("begin_checkout_sessions", "Began checkout"),
    ("purchase_sessions", "Purchased"),
)
ATTRIBUTION_MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
"""The order the models are compared in; a model the mart adds later is appended after these."""


def funnel(frame: pl.DataFrame, *, title: str) -> Panel:
    """Sessions reaching each funnel step, with the share of all sessions and of the step before.

    `frame`: one row with the FUNNEL_STEPS columns summed over the whole history.
    """
    row = frame.row(0, named=True)
    counts = [int(row[column] or 0) for column, _ in FUNNEL_STEPS]
    figure = go.Figure(
        go.Funnel(
            y=[label for _, label in FUNNEL_STEPS],
            x=counts,
            textinfo="value+percent initial+percent previous",
            marker={"color": list(PALETTE[: len(counts)])},
        )
    )
    return Panel(title=title, figure=styled(figure, height=340), rows=frame.height)


def _model_order(models: list[str]) -> list[str]:
    known = [model for model in ATTRIBUTION_MODELS if model in models]
    return known + sorted(set(models) - set(known))


def attribution_comparison(frame: pl.DataFrame, *, title: str) -> Panel:
    """Attributed revenue per channel under each attribution model, one bar group per channel.

    `frame`: attribution_model, channel, attributed_revenue, roas. Where the bars of one channel
    differ, the choice of model changes the channel's apparent worth.
    """
    channels = sorted(frame["channel"].unique().to_list())
    figure = go.Figure()
    for index, model in enumerate(_model_order(frame["attribution_model"].unique().to_list())):
        rows = {row["channel"]: row for row in frame.filter(pl.col("attribution_model") == model).to_dicts()}
        figure.add_bar(
            x=channels,
            y=[rows[channel]["attributed_revenue"] if channel in rows else None for channel in channels],
            name=model.replace("_", " "),
            marker_color=PALETTE[index % len(PALETTE)],
            customdata=[rows[channel]["roas"] if channel in rows else None for channel in channels],
            hovertemplate="%{x}: $%{y:,.0f} (ROAS %{customdata:.2f})<extra>" + model + "</extra>",
        )
    figure.update_layout(barmode="group")
    figure.update_xaxes(title_text="channel")
    figure.update_yaxes(title_text="attributed revenue (USD)", tickprefix="$")
    return Panel(title=title, figure=styled(figure), rows=frame.height)
