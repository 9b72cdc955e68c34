"""What each panel of the executive report reads: its marts, its query, and why it may be missing.

Queries aggregate in DuckDB so the page carries summaries, never one value per order or customer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PanelQuery:
    """The data behind one panel: `sql` over `tables`, and a hint for when they are absent or empty."""

    title: str
    tables: tuple[str, ...]
    sql: str
    hint: str = "build the warehouse first (daily_refresh)"


def _revenue_by(dimension: str) -> str:
    return f"""
        select dimension_value, cast(sum(net_revenue) as double) as net_revenue,
            cast(sum(margin) as double) as margin
        from main.revenue_by_dimension_monthly
        where dimension = '{dimension}'
        group by dimension_value
        having sum(orders) > 0
    """


KPIS = PanelQuery(
    title="Key figures",
    tables=("revenue_by_dimension_weekly",),
    sql="""
        select period_start, period_end, is_complete_period, orders, customers,
            cast(net_revenue as double) as net_revenue, cast(margin as double) as margin
        from main.revenue_by_dimension_weekly
        where dimension = 'total'
        order by period_start
    """,
)
REVENUE_TREND = PanelQuery(
    title="Revenue trend",
    tables=("revenue_trend_daily",),
    sql="""
        select date_day, cast(net_revenue as double) as net_revenue,
            cast(net_revenue_7d_moving_avg as double) as net_revenue_7d_moving_avg,
            cast(net_revenue_28d_moving_avg as double) as net_revenue_28d_moving_avg
        from main.revenue_trend_daily
        order by date_day
    """,
)
REVENUE_BY_CATEGORY = PanelQuery("Revenue by category", ("revenue_by_dimension_monthly",), _revenue_by("category"))
REVENUE_BY_CHANNEL = PanelQuery(
    "Revenue by acquisition channel", ("revenue_by_dimension_monthly",), _revenue_by("channel")
)
RFM_SEGMENTS = PanelQuery(
    title="Customer segments (RFM)",
    tables=("customer_rfm",),
    sql="""
        select coalesce(segment, 'Unscored') as segment, count(*) as customers,
            cast(coalesce(sum(monetary), 0) as double) as monetary
        from main.customer_rfm
        group by all
    """,
    hint="no customer has ordered yet",
)
COHORT_RETENTION = PanelQuery(
    title="Cohort retention",
    tables=("cohort_retention",),
    sql="""
        select cohort_month, months_since_first_order, retention_rate
        from main.cohort_retention
        order by cohort_month, months_since_first_order
    """,
    hint="no customer has ordered yet",
)
FUNNEL = PanelQuery(
    title="Conversion funnel",
    tables=("funnel_daily",),
    sql="""
        select sum(sessions) as sessions, sum(product_view_sessions) as product_view_sessions,
            sum(add_to_cart_sessions) as add_to_cart_sessions,
            sum(begin_checkout_sessions) as begin_checkout_sessions, sum(purchase_sessions) as purchase_sessions
        from main.funnel_daily
        having count(*) > 0
    """,
    hint="no sessions recorded yet",
)
ATTRIBUTION = PanelQuery(
    title="Marketing attribution: five models compared",
    tables=("attribution_model_comparison",),
    sql="""
        select attribution_model, channel, cast(attributed_revenue as double) as attributed_revenue, roas
        from main.attribution_model_comparison
    """,
    hint="no campaign touchpoints recorded yet",
)
GEOGRAPHY = PanelQuery(
    title="Revenue by country",
    tables=("geography_by_country",),
    sql="""
        select country_code, cast(net_revenue as double) as net_revenue, orders
        from main.geography_by_country
        where orders > 0
    """,
    hint="no orders yet",
)
CHURN_RISK = PanelQuery(
    title="Churn risk distribution",
    tables=("churn_scores",),
    sql="""
        select least(floor(churn_probability * 20), 19) / 20 as bin_start, risk_band, count(*) as customers
        from main.churn_scores
        where churn_probability is not null
        group by all
        order by bin_start
    """,
    hint="no churn model has been promoted yet (run the retrain_models job)",
)
FRAUD_ALERTS = PanelQuery(
    title="Fraud alerts by priority",
    tables=("fraud_alerts",),
    sql="""
        select priority, count(*) as alerts, cast(sum(amount) as double) as amount
        from main.fraud_alerts
        group by priority
    """,
    hint="no fraud model has been promoted yet, or it flagged no order",
)
