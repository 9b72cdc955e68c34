{#-
    One row per order with a customer: its acquisition cohort (the month of the customer's first
    order), how many calendar months after that month it was placed, and its revenue, cost and
    margin before and after the refunds returned by the as-of date. Shared by customer_clv and
    cohort_retention so both count revenue, refunds and margin the same way.
-#}

with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

order_returns as (

    select * from {{ ref('int_order_returns_aggregated') }}

),

customer_orders as (

    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_date,
        cast(date_trunc('month', orders.order_date) as date) as order_month,
        cast(
            date_trunc('month', min(orders.order_date) over (partition by orders.customer_id)) as date
        ) as cohort_month,
        orders.units,
        orders.gross_revenue,
        orders.discount_amount,
        orders.net_revenue,
        orders.cost,
        orders.margin,
        coalesce(order_returns.return_count, 0) as return_count,
        coalesce(order_returns.returned_units, 0) as returned_units,
        {{ money('coalesce(order_returns.refund_amount, 0)') }} as refund_amount,
        {{ money('coalesce(order_returns.returned_cost, 0)') }} as returned_cost

    from orders
    left join order_returns
        on orders.order_id = order_returns.order_id
    where orders.customer_id is not null

),

final as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        order_month,
        cohort_month,
        -- whole calendar months between the two month starts: Jan 31 -> Feb 1 is 1, Dec -> Jan is 1
        cast(
            (year(order_month) - year(cohort_month)) * 12 + (month(order_month) - month(cohort_month))
            as integer
        ) as months_since_first_order,
        units,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin,
        return_count,
        returned_units,
        refund_amount,
        returned_cost,
        {{ money('net_revenue - refund_amount') }} as net_revenue_after_refunds,
        {{ money('cost - returned_cost') }} as cost_after_returns,
        {{ money('net_revenue - refund_amount - (cost - returned_cost)') }} as margin_after_refunds

    from customer_orders

)

select * from final
