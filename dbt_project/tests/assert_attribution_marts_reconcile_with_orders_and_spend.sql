{# Reported in Dagster as a check on attribution_channel_daily. #}
{{ config(meta={'dagster': {'ref': {'name': 'attribution_channel_daily'}}}) }}

-- Under every attribution model, attribution_channel_daily and attribution_model_comparison hand
-- out exactly the orders, first orders and net revenue of fct_orders, and carry exactly the spend
-- of stg_bronze__campaign_spend. Returns one row per model whose totals differ.

with

orders as (

    select * from {{ ref('fct_orders') }}

),

campaign_spend as (

    select * from {{ ref('stg_bronze__campaign_spend') }}

),

channel_daily as (

    select * from {{ ref('attribution_channel_daily') }}

),

comparison as (

    select * from {{ ref('attribution_model_comparison') }}

),

spend_total as (

    -- exactly one row
    select coalesce(sum(spend), 0) as spend
    from campaign_spend

),

order_totals as (

    -- exactly one row
    select
        count(*) as orders,
        count(*) filter (where is_first_order) as new_customers,
        coalesce(sum(net_revenue), 0) as net_revenue

    from orders

),

daily_totals as (

    {%- for model in attribution_models() %}
    select
        '{{ model }}' as attribution_model,
        coalesce(sum({{ model }}_orders), 0) as orders,
        coalesce(sum({{ model }}_new_customers), 0) as new_customers,
        coalesce(sum({{ model }}_revenue), 0) as net_revenue,
        coalesce(sum(spend), 0) as spend

    from channel_daily
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

comparison_totals as (

    select
        attribution_model,
        sum(attributed_orders) as orders,
        sum(new_customers) as new_customers,
        sum(attributed_revenue) as net_revenue,
        sum(spend) as spend

    from comparison
    group by attribution_model

),

final as (

    select
        daily_totals.attribution_model,
        order_totals.orders as expected_orders,
        daily_totals.orders as daily_orders,
        comparison_totals.orders as comparison_orders,
        order_totals.new_customers as expected_new_customers,
        daily_totals.new_customers as daily_new_customers,
        comparison_totals.new_customers as comparison_new_customers,
        order_totals.net_revenue as expected_net_revenue,
        daily_totals.net_revenue as daily_net_revenue,
        comparison_totals.net_revenue as comparison_net_revenue,
        spend_total.spend as expected_spend,
        daily_totals.spend as daily_spend,
        comparison_totals.spend as comparison_spend

    from daily_totals
    cross join order_totals
    cross join spend_total
    left join comparison_totals
        on daily_totals.attribution_model = comparison_totals.attribution_model
    where
        abs(daily_totals.orders - order_totals.orders) > 1e-6
        or abs(daily_totals.new_customers - order_totals.new_customers) > 1e-6
        or daily_totals.net_revenue != order_totals.net_revenue
        or daily_totals.spend != spend_total.spend
        or comparison_totals.attribution_model is null
        or abs(comparison_totals.orders - order_totals.orders) > 1e-6
        or abs(comparison_totals.new_customers - order_totals.new_customers) > 1e-6
        or comparison_totals.net_revenue != order_totals.net_revenue
        or comparison_totals.spend != spend_total.spend

)

select * from final
