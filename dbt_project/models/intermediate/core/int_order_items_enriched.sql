with

order_items as (

    select * from {{ ref('stg_bronze__order_items') }}

),

orders as (

    select * from {{ ref('stg_bronze__orders') }}

),

products as (

    select * from {{ ref('stg_bronze__products') }}

),

joined as (

    select
        order_items.order_item_id,
        order_items.order_id,
        order_items.line_number,
        orders.customer_id,
        orders.session_id,
        order_items.product_id,
        orders.ordered_at,
        orders.order_date,
        orders.payment_method,
        orders.device,
        orders.country_code,
        orders.currency,
        products.product_name,
        products.category,
        products.subcategory,
        products.brand,
        order_items.quantity,
        order_items.unit_price,
        order_items.unit_cost,
        order_items.discount_amount

    from order_items
    left join orders
        on order_items.order_id = orders.order_id
    left join products
        on order_items.product_id = products.product_id

),

gross as (

    select
        *,
        {{ money('quantity * unit_price') }} as gross_revenue,
        {{ money('quantity * unit_cost') }} as cost

    from joined

),

final as (

    select
        order_item_id,
        order_id,
        line_number,
        customer_id,
        session_id,
        product_id,
        ordered_at,
        order_date,
        payment_method,
        device,
        country_code,
        currency,
        product_name,
        category,
        subcategory,
        brand,
        quantity,
        unit_price,
        unit_cost,
        gross_revenue,
        discount_amount,
        {{ money('gross_revenue - discount_amount') }} as net_revenue,
        cost,
        {{ money('gross_revenue - discount_amount - cost') }} as margin

    from gross

)

select * from final
