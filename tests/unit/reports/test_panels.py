"""Each panel builder on a small hand-made frame: the figure carries exactly the frame's figures."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ecap_pipeline.generate.reference import CITIES
from ecap_pipeline.reports.customer_panels import cohort_heatmap, rfm_treemap
from ecap_pipeline.reports.geo_panels import country_choropleth, shape_codes
from ecap_pipeline.reports.journey_panels import attribution_comparison, funnel
from ecap_pipeline.reports.panel import unavailable
from ecap_pipeline.reports.revenue_panels import revenue_by_dimension, revenue_trend
from ecap_pipeline.reports.risk_panels import churn_distribution, fraud_by_priority


def test_revenue_trend_draws_daily_bars_and_moving_averages_that_start_when_their_window_fills() -> None:
    days = [dt.date(2025, 9, 1) + dt.timedelta(days=offset) for offset in range(3)]
    frame = pl.DataFrame(
        {
            "date_day": list(reversed(days)),
            "net_revenue": [30.0, 20.0, 10.0],
            "net_revenue_7d_moving_avg": [20.0, None, None],
            "net_revenue_28d_moving_avg": [None, None, None],
        }
    )
    panel = revenue_trend(frame, title="Revenue trend")
    bars, week, month = panel.figure.data
    assert list(bars.x) == days
    assert list(bars.y) == [10.0, 20.0, 30.0]
    assert list(week.y) == [None, None, 20.0]
    assert week.name == "7-day moving average"
    assert month.name == "28-day moving average"
    assert panel.rows == 3


def test_revenue_by_dimension_orders_values_by_revenue_with_margin_beside() -> None:
    frame = pl.DataFrame(
        {"dimension_value": ["books", "toys", "garden"], "net_revenue": [50.0, 80.0, 20.0], "margin": [5.0, 30.0, 2.0]}
    )
    revenue, margin = revenue_by_dimension(frame, title="Revenue by category", dimension="category").figure.data
    assert list(revenue.x) == ["toys", "books", "garden"]
    assert list(revenue.y) == [80.0, 50.0, 20.0]
    assert list(margin.y) == [30.0, 5.0, 2.0]


def test_rfm_treemap_sizes_segments_by_customers_and_colours_them_by_spend() -> None:
    frame = pl.DataFrame({"segment": ["Lost", "Champions"], "customers": [40, 10], "monetary": [800.0, 5200.0]})
    (treemap,) = rfm_treemap(frame, title="Customer segments (RFM)").figure.data
    assert list(treemap.labels) == ["All customers", "Lost", "Champions"]
    assert list(treemap.parents) == ["", "All customers", "All customers"]
    assert list(treemap.values) == [50, 40, 10]
    assert list(treemap.marker.colors) == [0.0, 800.0, 5200.0]


def test_cohort_heatmap_leaves_months_a_cohort_has_not_reached_empty() -> None:
    frame = pl.DataFrame(
        {
            "cohort_month": [dt.date(2025, 8, 1), dt.date(2025, 8, 1), dt.date(2025, 9, 1)],
            "months_since_first_order": [0, 1, 0],
            "retention_rate": [1.0, 0.25, 1.0],
        }
    )
    (heatmap,) = cohort_heatmap(frame, title="Cohort retention").figure.data
    assert list(heatmap.y) == ["2025-08", "2025-09"]
    assert list(heatmap.x) == [0, 1]
    assert [list(row) for row in heatmap.z] == [[1.0, 0.25], [1.0, None]]
    assert [list(row) for row in heatmap.text] == [["100%", "25%"], ["100%", ""]]


def test_funnel_shows_every_step_in_order() -> None:
    frame = pl.DataFrame(
        {
            "sessions": [1000],
            "product_view_sessions": [600],
            "add_to_cart_sessions": [200],
            "begin_checkout_sessions": [120],
            "purchase_sessions": [90],
        }
    )
    (trace,) = funnel(frame, title="Conversion funnel").figure.data
    assert list(trace.x) == [1000, 600, 200, 120, 90]
    assert list(trace.y) == ["Sessions", "Viewed a product", "Added to cart", "Began checkout", "Purchased"]


def test_attribution_comparison_draws_one_bar_group_per_model_in_the_standard_order() -> None:
    models = ["position_based", "linear", "last_touch", "time_decay", "first_touch"]
    frame = pl.DataFrame(
        {
            "attribution_model": [model for model in models for _ in ("email", "search")],
            "channel": ["email", "search"] * 5,
            "attributed_revenue": [float(index) for index in range(10)],
            "roas": [1.5] * 10,
        }
    )
    traces = attribution_comparison(frame, title="Marketing attribution").figure.data
    assert [trace.name for trace in traces] == ["first touch", "last touch", "linear", "time decay", "position based"]
    assert list(traces[0].x) == ["email", "search"]
    assert list(traces[0].y) == [8.0, 9.0]  # first_touch rows were the last pair
    assert list(traces[4].y) == [0.0, 1.0]


def test_country_map_shades_drawable_countries_and_names_the_others() -> None:
    frame = pl.DataFrame({"country_code": ["US", "ZZ", "DE"], "net_revenue": [300.0, 45.0, 100.0], "orders": [3, 1, 1]})
    panel = country_choropleth(frame, title="Revenue by country")
    base, revenue = panel.figure.data
    assert set(base.locations) == shape_codes()
    assert list(revenue.locations) == ["DE", "US"]
    assert list(revenue.z) == [100.0, 300.0]
    assert panel.figure.layout.geo.visible is False
    assert panel.note == "not on the map (no outline shipped): ZZ ($45)"


def test_every_country_the_generator_sells_to_has_an_outline() -> None:
    assert {city.country_code for city in CITIES} <= shape_codes()


def test_churn_distribution_stacks_bins_by_risk_band_at_their_centres() -> None:
    frame = pl.DataFrame(
        {"bin_start": [0.1, 0.5, 0.95, 0.0], "risk_band": ["low", "medium", "high", "low"], "customers": [7, 3, 2, 5]}
    )
    traces = churn_distribution(frame, title="Churn risk distribution").figure.data
    assert [trace.name for trace in traces] == ["low risk", "medium risk", "high risk"]
    assert list(traces[0].x) == pytest.approx([0.025, 0.125])
    assert list(traces[0].y) == [5, 7]
    assert list(traces[2].x) == pytest.approx([0.975])


def test_fraud_alerts_are_ordered_by_urgency() -> None:
    frame = pl.DataFrame(
        {"priority": ["low", "critical", "medium"], "alerts": [9, 2, 4], "amount": [90.0, 900.0, 40.0]}
    )
    (bars,) = fraud_by_priority(frame, title="Fraud alerts by priority").figure.data
    assert list(bars.x) == ["critical", "medium", "low"]
    assert list(bars.y) == [2, 4, 9]
    assert list(bars.customdata) == [900.0, 40.0, 90.0]


def test_an_unavailable_panel_says_why_and_has_no_figure() -> None:
    panel = unavailable("Churn risk distribution", "no churn model has been promoted yet")
    assert not panel.available
    assert panel.note == "not available: no churn model has been promoted yet"
