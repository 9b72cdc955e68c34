with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

final as (

    select
        customer_id,
        count(*) as order_count,
        cast(sum(units) as bigint) as units,
        {{ money('sum(gross_revenue)') }} as gross_revenue,
        {{ money('sum(discount_amount)') }} as discount_amount,
        {{ money('sum(net_revenue)') }} as net_revenue,
        {{ money('sum(cost)') }} as cost,
        {{ money('sum(margin)') }} as margin,
        min(ordered_at) as first_ordered_at,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date

    from orders
    where customer_id is not null
    group by customer_id

)

select * from final
