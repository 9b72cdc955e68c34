"""The geography panel: net revenue by country on a map that needs no network.

plotly draws a geo subplot's coastlines from world topojson it downloads from a CDN when the page
opens. The report draws only the shop's countries, from outlines shipped with this package
(`country_shapes.geojson`, made by `scripts/make_country_shapes.py` from Natural Earth), turns the
base map off, and hands plotly an empty world topology up front (OFFLINE_GEO_SCRIPT) so it has
nothing to fetch.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ecap_pipeline.reports.panel import Panel, styled

SHAPES_FILE = "country_shapes.geojson"
OFFLINE_GEO_SCRIPT = (
    '<script>window.PlotlyGeoAssets={topojson:{world_110m:{type:"Topology",objects:{},arcs:[]}}};</script>'
)
"""Must run before plotly.js: plotly only fetches a topology that `PlotlyGeoAssets` does not hold yet."""


@cache
def country_shapes() -> dict[str, Any]:
    """The packaged GeoJSON FeatureCollection; each feature's `id` is an ISO 3166-1 alpha-2 code."""
    return json.loads(files("ecap_pipeline.reports").joinpath(SHAPES_FILE).read_text())


def shape_codes() -> set[str]:
    return {feature["id"] for feature in country_shapes()["features"]}


def country_choropleth(frame: pl.DataFrame, *, title: str) -> Panel:
    """Countries shaded by net revenue; countries without outlines are named in the panel's note.

    `frame`: country_code, net_revenue, orders.
    """
    drawable = shape_codes()
    mapped = frame.filter(pl.col("country_code").is_in(sorted(drawable))).sort("country_code")
    unmapped = frame.filter(~pl.col("country_code").is_in(sorted(drawable))).sort("country_code")
    shapes = country_shapes()
    figure = go.Figure(
        [
            go.Choropleth(
                geojson=shapes,
                locations=sorted(drawable),
                z=[0] * len(drawable),
                colorscale=[[0, "#eceff1"], [1, "#eceff1"]],
                showscale=False,
                hoverinfo="skip",
                marker_line_color="#b0bec5",
                name="shop countries",
            ),
            go.Choropleth(
                geojson=shapes,
                locations=mapped["country_code"].to_list(),
                z=mapped["net_revenue"].to_list(),
                customdata=mapped["orders"].to_list(),
                colorscale="Blues",
                colorbar={"title": {"text": "net revenue"}, "tickprefix": "$"},
                marker_line_color="#546e7a",
                hovertemplate="%{location}: $%{z:,.0f} from %{customdata} orders<extra></extra>",
                name="net revenue",
            ),
        ]
    )
    figure.update_geos(visible=False, fitbounds="locations", projection_type="natural earth")
    note = ""
    if not unmapped.is_empty():
        listed = ", ".join(
            f"{row['country_code']} (${row['net_revenue']:,.0f})" for row in unmapped.iter_rows(named=True)
        )
        note = f"not on the map (no outline shipped): {listed}"
    return Panel(title=title, figure=styled(figure, height=420), note=note, rows=frame.height)
