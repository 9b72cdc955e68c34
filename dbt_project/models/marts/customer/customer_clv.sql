with

customers as (

    select * from {{ ref('stg_bronze__customers') }}

),

customer_orders as (

    select * from {{ ref('int_customer_orders_aggregated') }}

),

as_of as (

    -- historical CLV is measured up to the latest order date in the data
    select max(last_order_date) as as_of_date
    from customer_orders

),

final as (

    select
        customer_orders.customer_id,
        as_of.as_of_date,
        customers.signup_date,
        customers.acquisition_channel,
        customers.country_code,
        customer_orders.first_order_date,
        customer_orders.last_order_date,
        cast(date_trunc('month', customer_orders.first_order_date) as date) as acquisition_cohort_month,
        date_diff('day', customer_orders.first_order_date, as_of.as_of_date) as tenure_days,
        customer_orders.order_count as orders,
        customer_orders.units,
        customer_orders.gross_revenue,
        customer_orders.discount_amount,
        customer_orders.net_revenue,
        customer_orders.cost,
        customer_orders.margin as gross_margin,
        {{ money('customer_orders.net_revenue / customer_orders.order_count') }} as average_order_value,
        {{ money('customer_orders.margin / customer_orders.order_count') }} as average_order_margin

    from customer_orders
    cross join as_of
    left join customers
        on customer_orders.customer_id = customers.customer_id

)

select * from final
