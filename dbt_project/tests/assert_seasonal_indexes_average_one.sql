{# Reported in Dagster as a check on seasonal_indexes. #}
{{ config(meta={'dagster': {'ref': {'name': 'seasonal_indexes'}}}) }}

-- Within each period type (month, day_of_week, hour), every order of fct_orders falls in exactly
-- one period, so orders and net revenue add up to fct_orders' totals; and the indexes average 1
-- (within the 6-decimal rounding) whenever the type has orders or revenue to index. Returns the
-- period types that break it.

with

orders as (

    select * from {{ ref('fct_orders') }}

),

seasonal_indexes as (

    select * from {{ ref('seasonal_indexes') }}

),

expected as (

    select
        count(*) as orders,
        coalesce(sum(net_revenue), 0) as net_revenue

    from orders

),

per_type as (

    select
        period_type,
        sum(orders) as orders,
        sum(net_revenue) as net_revenue,
        avg(orders_index) as mean_orders_index,
        avg(net_revenue_index) as mean_net_revenue_index

    from seasonal_indexes
    group by period_type

),

final as (

    select
        per_type.period_type,
        per_type.orders,
        expected.orders as expected_orders,
        per_type.net_revenue,
        expected.net_revenue as expected_net_revenue,
        per_type.mean_orders_index,
        per_type.mean_net_revenue_index

    from per_type
    cross join expected
    where
        per_type.orders != expected.orders
        or per_type.net_revenue != expected.net_revenue
        or (expected.orders > 0 and abs(per_type.mean_orders_index - 1) > 1e-5)
        or (expected.net_revenue > 0 and abs(per_type.mean_net_revenue_index - 1) > 1e-5)

)

select * from final
