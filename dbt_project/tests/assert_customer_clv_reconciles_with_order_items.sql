{# Reported in Dagster as a check on customer_clv. #}
{{ config(meta={'dagster': {'ref': {'name': 'customer_clv'}}}) }}

-- Every customer's CLV money equals an independent sum over fct_order_items (gross, discounts,
-- net revenue, cost) and over stg_bronze__returns received on or before the as-of date (the
-- latest order date), with the returned units' cost (exact: units x unit_cost) reversed; and every
-- customer with an order line has a CLV row. Summed over customers: CLV net revenue after
-- refunds = fct_order_items net revenue - refunds as of the as-of date. Returns the customers
-- that disagree.

with

customer_clv as (

    select * from {{ ref('customer_clv') }}

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
        customer_id,
        count(distinct order_id) as orders,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost

    from order_items
    where customer_id is not null
    group by customer_id

),

return_totals as (

    select
        order_items.customer_id,
        sum(returns.refund_amount) as refund_amount,
        sum(returns.quantity * order_items.unit_cost) as returned_cost

    from returns
    inner join order_items
        on returns.order_item_id = order_items.order_item_id
    cross join as_of
    where returns.return_date <= as_of.as_of_date
    group by order_items.customer_id

),

expected as (

    select
        line_totals.customer_id,
        line_totals.orders,
        line_totals.gross_revenue,
        line_totals.discount_amount,
        line_totals.net_revenue,
        coalesce(return_totals.refund_amount, 0) as refund_amount,
        line_totals.net_revenue - coalesce(return_totals.refund_amount, 0) as net_revenue_after_refunds,
        line_totals.net_revenue - coalesce(return_totals.refund_amount, 0)
        - (line_totals.cost - coalesce(return_totals.returned_cost, 0)) as margin_after_refunds

    from line_totals
    left join return_totals
        on line_totals.customer_id = return_totals.customer_id

),

final as (

    select
        coalesce(expected.customer_id, customer_clv.customer_id) as customer_id,
        expected.net_revenue_after_refunds as expected_net_revenue_after_refunds,
        customer_clv.net_revenue_after_refunds,
        expected.margin_after_refunds as expected_margin_after_refunds,
        customer_clv.margin_after_refunds

    from expected
    full outer join customer_clv
        on expected.customer_id = customer_clv.customer_id
    where
        expected.customer_id is null
        or customer_clv.customer_id is null
        or expected.orders != customer_clv.orders
        or expected.gross_revenue != customer_clv.gross_revenue
        or expected.discount_amount != customer_clv.discount_amount
        or expected.net_revenue != customer_clv.net_revenue
        or expected.refund_amount != customer_clv.refund_amount
        or expected.net_revenue_after_refunds != customer_clv.net_revenue_after_refunds
        or expected.margin_after_refunds != customer_clv.margin_after_refunds
)

select * from final
