"""Assembling the report page: KPI cards and panels around plotly.js, embedded once, so it opens offline."""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.io as pio
from plotly.offline import get_plotlyjs

from ecap_pipeline.reports.geo_panels import OFFLINE_GEO_SCRIPT
from ecap_pipeline.reports.kpis import KpiSet, format_delta, format_value
from ecap_pipeline.reports.panel import Panel

_CONFIG = {"displaylogo": False, "responsive": True}
_RESIZE_ON_LOAD = (
    "<script>window.addEventListener('load', () => document.querySelectorAll('.js-plotly-plot')"
    ".forEach((plot) => Plotly.Plots.resize(plot)));</script>"
)
"""A figure drawn before the grid has all its panels took a wider cell than it ends up with."""
_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 0; background: #f4f6f8; color: #1c2833; }
header { background: #1f4e79; color: white; padding: 18px 32px; }
header h1 { margin: 0; font-size: 24px; } header p { margin: 4px 0 0; opacity: .85; }
main { padding: 16px 32px 40px; max-width: 1400px; margin: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
.card { background: white; border-radius: 6px; padding: 14px 16px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.card .name { font-size: 13px; color: #566573; } .card .value { font-size: 26px; font-weight: bold; margin: 4px 0; }
.delta { font-size: 13px; } .up { color: #1e8449; } .down { color: #c0392b; } .flat { color: #7f8c8d; }
.panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 16px; margin-top: 16px; }
section.panel { min-width: 0; overflow: hidden; }
section.panel { background: white; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
section.panel h2 { font-size: 17px; margin: 0 0 6px; }
.note { color: #7f8c8d; font-style: italic; } .unavailable { padding: 40px 0; text-align: center; }
footer { color: #7f8c8d; font-size: 12px; text-align: center; padding: 12px; }
"""


def _delta_class(text: str) -> str:
    if text.startswith("+") and text.strip("+0.% p") != "":
        return "up"
    if text.startswith("-"):
        return "down"
    return "flat"


def kpi_cards(kpis: KpiSet | str) -> str:
    """The KPI section: a card per figure with its change, or the reason there are no KPIs."""
    if isinstance(kpis, str):
        return f'<section class="panel"><h2>Key figures</h2><p class="note">not available: {escape(kpis)}</p></section>'
    period = f"week of {kpis.period_start:%Y-%m-%d} to {kpis.period_end:%Y-%m-%d}"
    versus = "vs the week before" if kpis.previous_start else "no complete week before it to compare with"
    cards = []
    for kpi in kpis.kpis:
        delta = format_delta(kpi)
        cards.append(
            f'<div class="card"><div class="name">{escape(kpi.name)}</div>'
            f'<div class="value">{escape(format_value(kpi))}</div>'
            f'<div class="delta {_delta_class(delta)}">{escape(delta)}</div></div>'
        )
    return (
        f'<section><h2>Key figures</h2><p class="note">Last complete {escape(period)}, {escape(versus)}.</p>'
        f'<div class="cards">{"".join(cards)}</div></section>'
    )


def panel_html(panel: Panel) -> str:
    """One panel's section: its figure (plotly.js not included) and note, or the 'not available' note."""
    body = (
        pio.to_html(panel.figure, include_plotlyjs=False, full_html=False, config=_CONFIG)
        if panel.figure is not None
        else ""
    )
    note_class = "note" if panel.available else "note unavailable"
    note = f'<p class="{note_class}">{escape(panel.note)}</p>' if panel.note else ""
    return f'<section class="panel"><h2>{escape(panel.title)}</h2>{body}{note}</section>'


def render_report(
    *, title: str, kpis: KpiSet | str, panels: tuple[Panel, ...], generated_at: dt.datetime | None = None
) -> str:
    """The whole page as one string: no external script, stylesheet, font or map tile."""
    stamp = (generated_at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style>"
        f'{OFFLINE_GEO_SCRIPT}<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f"<header><h1>{escape(title)}</h1><p>Built from the warehouse marts on {stamp}.</p></header><main>"
        f'{kpi_cards(kpis)}<div class="panels">{"".join(panel_html(panel) for panel in panels)}</div>'
        f"</main><footer>ECAP e-commerce analytics</footer>{_RESIZE_ON_LOAD}</body></html>\n"
    )
