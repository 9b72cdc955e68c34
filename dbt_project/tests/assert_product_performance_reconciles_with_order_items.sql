{# Reported in Dagster as a check on product_performance. #}
{{ config(meta={'dagster': {'ref': {'name': 'product_performance'}}}) }}

-- Every product's sales in product_performance equal an independent sum over fct_order_items
-- (orders, buyers, units, gross, discounts, net revenue, cost, margin) and its returns equal the
-- returns of stg_bronze__returns received on or before the as-of date (the latest order date),
-- with the returned units' cost written back; every catalog product has exactly one row. Returns
-- the products that disagree.

with

performance as (

    select * from {{ ref('product_performance') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

order_items as (

    select * from {{ ref('fct_order_items') }}

),

returns as (

    select * from {{ ref('stg_bronze__returns') }}

),

as_of as (

    select max(order_date) as as_of_date
    from order_items

),

line_totals as (

    select
        product_id,
        count(distinct order_id) as purchases,
        count(distinct customer_id) as buyers,
        sum(quantity) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin

    from order_items
    group by product_id

),

return_totals as (

    select
        order_items.product_id,
        sum(returns.quantity) as returned_units,
        sum(returns.refund_amount) as refund_amount,
        sum(returns.quantity * order_items.unit_cost) as returned_cost

    from returns
    inner join order_items
        on returns.order_item_id = order_items.order_item_id
    cross join as_of
    where returns.return_date <= as_of.as_of_date
    group by order_items.product_id

),

expected as (

    select
        products.product_id,
        coalesce(line_totals.purchases, 0) as purchases,
        coalesce(line_totals.buyers, 0) as buyers,
        coalesce(line_totals.units, 0) as units,
        coalesce(line_totals.gross_revenue, 0) as gross_revenue,
        coalesce(line_totals.discount_amount, 0) as discount_amount,
        coalesce(line_totals.net_revenue, 0) as net_revenue,
        coalesce(line_totals.cost, 0) as cost,
        coalesce(line_totals.margin, 0) as margin,
        coalesce(return_totals.returned_units, 0) as returned_units,
        coalesce(return_totals.refund_amount, 0) as refund_amount,
        coalesce(line_totals.margin, 0) - coalesce(return_totals.refund_amount, 0)
        + coalesce(return_totals.returned_cost, 0) as margin_after_refunds

    from products
    left join line_totals
        on products.product_id = line_totals.product_id
    left join return_totals
        on products.product_id = return_totals.product_id

),

final as (

    select
        coalesce(expected.product_id, performance.product_id) as product_id,
        expected.units as expected_units,
        performance.units,
        expected.net_revenue as expected_net_revenue,
        performance.net_revenue,
        expected.margin_after_refunds as expected_margin_after_refunds,
        performance.margin_after_refunds

    from expected
    full outer join performance
        on expected.product_id = performance.product_id
    where
        expected.product_id is null
        or performance.product_id is null
        or expected.purchases != performance.purchases
        or expected.buyers != performance.buyers
        or expected.units != performance.units
        or expected.gross_revenue != performance.gross_revenue
        or expected.discount_amount != performance.discount_amount
        or expected.net_revenue != performance.net_revenue
        or expected.cost != performance.cost
        or expected.margin != performance.margin
        or expected.returned_units != performance.returned_units
        or expected.refund_amount != performance.refund_amount
        or expected.margin_after_refunds != performance.margin_after_refunds

)

select * from final
