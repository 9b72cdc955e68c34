{#-
    Monthly acquisition cohorts (the calendar month of a customer's first order) by calendar
    months since that month. Every cohort has a row for every month from 0 up to the month of the
    as-of date (the latest order date in the data), with zeros where nobody ordered, so a heatmap
    has every cell. Revenue is the net revenue of the orders placed in the month, refunds those of
    the same orders returned on or before the as-of date.
-#}

with

customer_orders as (

    select * from {{ ref('int_customer_orders_enriched') }}

),

as_of as (

    -- exactly one row
    select
        max(order_date) as as_of_date,
        cast(date_trunc('month', max(order_date)) as date) as as_of_month

    from customer_orders

),

cohorts as (

    select
        cohort_month,
        count(distinct customer_id) as cohort_size

    from customer_orders
    group by cohort_month

),

cohort_months as (

    -- one row per cohort and month offset, 0 up to the as-of month
    select
        cohorts.cohort_month,
        cohorts.cohort_size,
        as_of.as_of_date,
        as_of.as_of_month,
        cast(offsets.months_since_first_order as integer) as months_since_first_order

    from cohorts
    cross join as_of
    -- month offsets 0..1199 (a century) cover any cohort; keep those up to the as-of month
    inner join range(0, 1200) as offsets (months_since_first_order)
        on
            offsets.months_since_first_order
            <= (year(as_of.as_of_month) - year(cohorts.cohort_month)) * 12
            + (month(as_of.as_of_month) - month(cohorts.cohort_month))

),

activity as (

    select
        cohort_month,
        months_since_first_order,
        count(distinct customer_id) as active_customers,
        count(*) as orders,
        {{ money('sum(net_revenue)') }} as net_revenue,
        {{ money('sum(refund_amount)') }} as refund_amount,
        {{ money('sum(net_revenue_after_refunds)') }} as net_revenue_after_refunds,
        {{ money('sum(margin_after_refunds)') }} as margin_after_refunds

    from customer_orders
    group by cohort_month, months_since_first_order

),

filled as (

    select
        cohort_months.cohort_month,
        cohort_months.months_since_first_order,
        cast(cohort_months.cohort_month + to_months(cohort_months.months_since_first_order) as date)
            as activity_month,
        cohort_months.as_of_date,
        cohort_months.cohort_size,
        coalesce(activity.active_customers, 0) as active_customers,
        coalesce(activity.orders, 0) as orders,
        {{ money('coalesce(activity.net_revenue, 0)') }} as net_revenue,
        {{ money('coalesce(activity.refund_amount, 0)') }} as refund_amount,
        {{ money('coalesce(activity.net_revenue_after_refunds, 0)') }} as net_revenue_after_refunds,
        {{ money('coalesce(activity.margin_after_refunds, 0)') }} as margin_after_refunds,
        cohort_months.months_since_first_order
        = (year(cohort_months.as_of_month) - year(cohort_months.cohort_month)) * 12
        + (month(cohort_months.as_of_month) - month(cohort_months.cohort_month))
        and cohort_months.as_of_date < cast(last_day(cohort_months.as_of_month) as date)
            as is_partial_month

    from cohort_months
    left join activity
        on
            cohort_months.cohort_month = activity.cohort_month
            and cohort_months.months_since_first_order = activity.months_since_first_order

),

cumulated as (

    select
        *,
        sum(net_revenue_after_refunds) over (
            partition by cohort_month
            order by months_since_first_order
            rows between unbounded preceding and current row
        ) as cumulative_net_revenue_after_refunds

    from filled

),

final as (

    select
        cohort_month,
        months_since_first_order,
        activity_month,
        as_of_date,
        is_partial_month,
        cohort_size,
        active_customers,
        -- a cohort is never empty: every cohort_size >= 1
        cast(active_customers as double) / cohort_size as retention_rate,
        orders,
        net_revenue,
        refund_amount,
        net_revenue_after_refunds,
        margin_after_refunds,
        {{ money('cumulative_net_revenue_after_refunds') }} as cumulative_net_revenue_after_refunds,
        {{ money('cumulative_net_revenue_after_refunds / cohort_size') }}
            as cumulative_net_revenue_after_refunds_per_customer

    from cumulated

)

select * from final
