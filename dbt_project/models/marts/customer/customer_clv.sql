{#-
    Historical, margin-based customer lifetime value up to the as-of date (the latest order date
    in the data). Revenue, cost and margin come from int_customer_orders_enriched, which counts
    only the refunds returned on or before the as-of date and reverses the cost of returned units.
    Every ratio has a non-zero denominator or falls back to 0, never null.
-#}

with

customers as (

    select * from {{ ref('stg_bronze__customers') }}

),

customer_orders as (

    select * from {{ ref('int_customer_orders_enriched') }}

),

as_of as (

    -- historical CLV is measured up to the latest order date in the data
    select max(order_date) as as_of_date
    from customer_orders

),

customer_totals as (

    select
        customer_id,
        min(cohort_month) as acquisition_cohort_month,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as orders,
        cast(sum(units) as bigint) as units,
        cast(sum(returned_units) as bigint) as returned_units,
        {{ money('sum(gross_revenue)') }} as gross_revenue,
        {{ money('sum(discount_amount)') }} as discount_amount,
        {{ money('sum(net_revenue)') }} as net_revenue,
        {{ money('sum(refund_amount)') }} as refund_amount,
        {{ money('sum(net_revenue_after_refunds)') }} as net_revenue_after_refunds,
        {{ money('sum(cost)') }} as cost,
        {{ money('sum(returned_cost)') }} as returned_cost,
        {{ money('sum(cost_after_returns)') }} as cost_after_returns,
        {{ money('sum(margin)') }} as gross_margin,
        {{ money('sum(margin_after_refunds)') }} as margin_after_refunds

    from customer_orders
    group by customer_id

),

tenure as (

    select
        customer_totals.*,
        as_of.as_of_date,
        date_diff('day', customer_totals.first_order_date, as_of.as_of_date) as tenure_days,
        -- calendar months the customer has been in its cohort, counting the first month: >= 1
        cast(
            (year(as_of.as_of_date) - year(customer_totals.acquisition_cohort_month)) * 12
            + (month(as_of.as_of_date) - month(customer_totals.acquisition_cohort_month))
            + 1
            as integer
        ) as tenure_months

    from customer_totals
    cross join as_of

),

final as (

    select
        tenure.customer_id,
        tenure.as_of_date,
        customers.signup_date,
        customers.acquisition_channel,
        customers.country_code,
        tenure.first_order_date,
        tenure.last_order_date,
        tenure.acquisition_cohort_month,
        tenure.tenure_days,
        tenure.tenure_months,
        tenure.orders,
        tenure.units,
        tenure.returned_units,
        tenure.gross_revenue,
        tenure.discount_amount,
        tenure.net_revenue,
        tenure.refund_amount,
        tenure.net_revenue_after_refunds,
        tenure.cost,
        tenure.returned_cost,
        tenure.cost_after_returns,
        tenure.gross_margin,
        tenure.margin_after_refunds,
        {{ money('tenure.net_revenue / tenure.orders') }} as average_order_value,
        {{ money('tenure.gross_margin / tenure.orders') }} as average_order_margin,
        {{ money('tenure.net_revenue_after_refunds / tenure.tenure_months') }}
            as net_revenue_after_refunds_per_tenure_month,
        {{ money('tenure.margin_after_refunds / tenure.tenure_months') }} as margin_per_tenure_month,
        -- shares of net revenue: 0 when there is no net revenue to share
        case
            when tenure.net_revenue = 0 then 0.0
            else cast(tenure.refund_amount / tenure.net_revenue as double)
        end as refund_rate,
        case
            when tenure.net_revenue_after_refunds = 0 then 0.0
            else cast(tenure.margin_after_refunds / tenure.net_revenue_after_refunds as double)
        end as margin_rate

    from tenure
    left join customers
        on tenure.customer_id = customers.customer_id

)

select * from final
