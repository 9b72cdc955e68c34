"""One panel of the executive report: a figure, or a note saying why there is none."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

PALETTE = ("#1f4e79", "#2e86c1", "#f39c12", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")
"""One set of colours for every panel, so a category keeps its colour across the page."""


@dataclass(frozen=True)
class Panel:
    """A titled figure; `figure` is None when the data behind it is missing, and `note` says why."""

    title: str
    figure: go.Figure | None = None
    note: str = ""
    rows: int = 0
    """Rows of the query result the figure was drawn from (0 when unavailable)."""

    @property
    def available(self) -> bool:
        return self.figure is not None


def unavailable(title: str, why: str) -> Panel:
    """A panel that tells the reader its data is missing instead of failing the whole report."""
    return Panel(title=title, note=f"not available: {why}")


def styled(figure: go.Figure, *, height: int = 380) -> go.Figure:
    """The common look: white background, compact margins, the report's colours, no plotly logo link."""
    figure.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 40, "r": 20, "t": 20, "b": 40},
        colorway=list(PALETTE),
        font={"family": "Helvetica, Arial, sans-serif", "size": 12},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    return figure
