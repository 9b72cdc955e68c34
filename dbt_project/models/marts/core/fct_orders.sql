with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

final as (

    select
        order_id,
        customer_id,
        session_id,
        ordered_at,
        order_date,
        payment_method,
        card_id,
        device,
        device_id,
        country_code,
        latitude,
        longitude,
        currency,
        customer_order_number,
        customer_order_number = 1 as is_first_order,
        item_count,
        units,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin

    from orders

)

select * from final
