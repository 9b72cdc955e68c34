{# Reported in Dagster as a check on revenue_daily. #}
{{ config(meta={'dagster': {'ref': {'name': 'revenue_daily'}}}) }}

-- revenue_daily is an aggregation of the order lines: its totals must equal fct_order_items'
-- to the cent. Returns one row (the differing totals) when they do not.

with

daily as (

    select
        coalesce(sum(units), 0) as units,
        coalesce(sum(gross_revenue), 0) as gross_revenue,
        coalesce(sum(discount_amount), 0) as discount_amount,
        coalesce(sum(net_revenue), 0) as net_revenue,
        coalesce(sum(cost), 0) as cost,
        coalesce(sum(margin), 0) as margin

    from {{ ref('revenue_daily') }}

),

lines as (

    select
        coalesce(sum(quantity), 0) as units,
        coalesce(sum(gross_revenue), 0) as gross_revenue,
        coalesce(sum(discount_amount), 0) as discount_amount,
        coalesce(sum(net_revenue), 0) as net_revenue,
        coalesce(sum(cost), 0) as cost,
        coalesce(sum(margin), 0) as margin

    from {{ ref('fct_order_items') }}

),

final as (

    select
        daily.net_revenue as revenue_daily_net_revenue,
        lines.net_revenue as order_items_net_revenue,
        daily.gross_revenue as revenue_daily_gross_revenue,
        lines.gross_revenue as order_items_gross_revenue,
        daily.discount_amount as revenue_daily_discount_amount,
        lines.discount_amount as order_items_discount_amount,
        daily.cost as revenue_daily_cost,
        lines.cost as order_items_cost,
        daily.margin as revenue_daily_margin,
        lines.margin as order_items_margin,
        daily.units as revenue_daily_units,
        lines.units as order_items_units

    from daily
    cross join lines
    where
        daily.net_revenue != lines.net_revenue
        or daily.gross_revenue != lines.gross_revenue
        or daily.discount_amount != lines.discount_amount
        or daily.cost != lines.cost
        or daily.margin != lines.margin
        or daily.units != lines.units

)

select * from final
