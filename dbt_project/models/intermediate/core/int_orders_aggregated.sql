with

orders as (

    select * from {{ ref('stg_bronze__orders') }}

),

order_items as (

    select * from {{ ref('int_order_items_enriched') }}

),

order_totals as (

    select
        order_id,
        count(*) as item_count,
        cast(sum(quantity) as bigint) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin

    from order_items
    group by order_id

),

joined as (

    select
        orders.order_id,
        orders.customer_id,
        orders.session_id,
        orders.ordered_at,
        orders.order_date,
        orders.payment_method,
        orders.card_id,
        orders.device,
        orders.device_id,
        orders.country_code,
        orders.latitude,
        orders.longitude,
        orders.currency,
        -- an order without lines (should not happen) counts as zero, not null
        coalesce(order_totals.item_count, 0) as item_count,
        coalesce(order_totals.units, 0) as units,
        {{ money('coalesce(order_totals.gross_revenue, 0)') }} as gross_revenue,
        {{ money('coalesce(order_totals.discount_amount, 0)') }} as discount_amount,
        {{ money('coalesce(order_totals.net_revenue, 0)') }} as net_revenue,
        {{ money('coalesce(order_totals.cost, 0)') }} as cost,
        {{ money('coalesce(order_totals.margin, 0)') }} as margin

    from orders
    left join order_totals
        on orders.order_id = order_totals.order_id

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
        row_number() over (
            partition by customer_id
            order by ordered_at, order_id
        ) as customer_order_number,
        item_count,
        units,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin

    from joined

)

select * from final
