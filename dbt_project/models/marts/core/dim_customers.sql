with

customers as (

    select * from {{ ref('stg_bronze__customers') }}

),

customer_orders as (

    select * from {{ ref('int_customer_orders_aggregated') }}

),

final as (

    select
        customers.customer_id,
        customers.first_name,
        customers.last_name,
        customers.first_name || ' ' || customers.last_name as full_name,
        customers.email,
        customers.country_code,
        customers.region,
        customers.city,
        customers.latitude,
        customers.longitude,
        customers.acquisition_channel,
        customers.behaviour_segment,
        customers.signed_up_at,
        customers.signup_date,
        customer_orders.first_order_date,
        customer_orders.last_order_date,
        coalesce(customer_orders.order_count, 0) as lifetime_orders,
        {{ money('coalesce(customer_orders.net_revenue, 0)') }} as lifetime_net_revenue,
        {{ money('coalesce(customer_orders.margin, 0)') }} as lifetime_margin,
        customer_orders.customer_id is not null as has_ordered

    from customers
    left join customer_orders
        on customers.customer_id = customer_orders.customer_id

)

select * from final
