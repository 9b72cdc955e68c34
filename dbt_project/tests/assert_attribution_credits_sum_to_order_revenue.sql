{# Reported in Dagster as a check on attribution_credits. #}
{{ config(meta={'dagster': {'ref': {'name': 'attribution_credits'}}}) }}

-- Under every attribution model, every order of fct_orders is credited exactly once in full: its
-- credits add up to its net revenue to the cent and its weights to 1 (within float error). Returns
-- the orders that are missing or do not add up.

with

orders as (

    select * from {{ ref('fct_orders') }}

),

credits as (

    select * from {{ ref('attribution_credits') }}

),

per_order as (

    select
        order_id,
        {%- for model in attribution_models() %}
        sum({{ model }}_weight) as {{ model }}_weight,
        sum({{ model }}_revenue) as {{ model }}_revenue{{ ',' if not loop.last }}
        {%- endfor %}

    from credits
    group by order_id

),

final as (

    select
        orders.order_id,
        orders.net_revenue,
        {%- for model in attribution_models() %}
        per_order.{{ model }}_weight,
        per_order.{{ model }}_revenue{{ ',' if not loop.last }}
        {%- endfor %}

    from orders
    left join per_order
        on orders.order_id = per_order.order_id
    where
        per_order.order_id is null
        {%- for model in attribution_models() %}
        or per_order.{{ model }}_revenue != orders.net_revenue
        or abs(per_order.{{ model }}_weight - 1) > 1e-9
        {%- endfor %}

)

select * from final
