{# Reported in Dagster as a check on fct_orders. #}
{{ config(meta={'dagster': {'ref': {'name': 'fct_orders'}}}) }}

-- Every order's totals equal the sum of its lines in fct_order_items (orders without lines
-- carry zeros). Returns the orders that disagree.

with

orders as (

    select * from {{ ref('fct_orders') }}

),

order_items as (

    select * from {{ ref('fct_order_items') }}

),

line_totals as (

    select
        order_id,
        count(*) as item_count,
        sum(quantity) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin

    from order_items
    group by order_id

),

final as (

    select
        orders.order_id,
        orders.item_count,
        line_totals.item_count as line_item_count,
        orders.net_revenue,
        line_totals.net_revenue as line_net_revenue

    from orders
    left join line_totals
        on orders.order_id = line_totals.order_id
    where
        orders.item_count != coalesce(line_totals.item_count, 0)
        or orders.units != coalesce(line_totals.units, 0)
        or orders.gross_revenue != coalesce(line_totals.gross_revenue, 0)
        or orders.discount_amount != coalesce(line_totals.discount_amount, 0)
        or orders.net_revenue != coalesce(line_totals.net_revenue, 0)
        or orders.cost != coalesce(line_totals.cost, 0)
        or orders.margin != coalesce(line_totals.margin, 0)

)

select * from final
