-- One row per revenue event on a line: every order line on its order date (a sale), and every
-- return of a line on its return date (a refund), up to the data's as-of date, the latest order
-- date. Both carry the dimensions of the original line, so sales and refunds slice alike.

with

order_items as (

    select * from {{ ref('int_order_items_enriched') }}

),

returns as (

    select * from {{ ref('stg_bronze__returns') }}

),

sessions as (

    select * from {{ ref('stg_bronze__sessions') }}

),

customers as (

    select * from {{ ref('stg_bronze__customers') }}

),

as_of as (

    -- returns are filed under their order's day and may be dated after the last loaded day:
    -- the data only knows what happened up to its latest order date
    select max(order_date) as as_of_date
    from order_items

),

lines as (

    select
        order_items.order_item_id,
        order_items.order_id,
        order_items.customer_id,
        order_items.product_id,
        order_items.order_date,
        order_items.category,
        order_items.country_code,
        customers.region,
        sessions.channel,
        order_items.device,
        order_items.payment_method,
        order_items.quantity,
        order_items.unit_cost,
        order_items.gross_revenue,
        order_items.discount_amount,
        order_items.net_revenue,
        order_items.cost,
        order_items.margin

    from order_items
    left join sessions
        on order_items.session_id = sessions.session_id
    left join customers
        on order_items.customer_id = customers.customer_id

),

sales as (

    select
        'sale' as line_type,
        order_item_id as source_id,
        order_date as revenue_date,
        order_item_id,
        order_id,
        customer_id,
        product_id,
        category,
        country_code,
        region,
        channel,
        device,
        payment_method,
        cast(quantity as bigint) as units,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin,
        cast(0 as bigint) as returned_units,
        {{ money('0') }} as refund_amount,
        {{ money('0') }} as returned_cost

    from lines

),

refunds as (

    select
        'refund' as line_type,
        returns.return_id as source_id,
        returns.return_date as revenue_date,
        lines.order_item_id,
        lines.order_id,
        lines.customer_id,
        lines.product_id,
        lines.category,
        lines.country_code,
        lines.region,
        lines.channel,
        lines.device,
        lines.payment_method,
        cast(0 as bigint) as units,
        {{ money('0') }} as gross_revenue,
        {{ money('0') }} as discount_amount,
        {{ money('0') }} as net_revenue,
        {{ money('0') }} as cost,
        {{ money('0') }} as margin,
        cast(returns.quantity as bigint) as returned_units,
        returns.refund_amount,
        -- returned units go back to stock: their cost of goods is reversed
        {{ money('returns.quantity * lines.unit_cost') }} as returned_cost

    from returns
    inner join lines
        on returns.order_item_id = lines.order_item_id
    cross join as_of
    where returns.return_date <= as_of.as_of_date

),

unioned as (

    select * from sales
    union all
    select * from refunds

),

final as (

    select
        line_type || '-' || source_id as revenue_line_id,
        line_type,
        source_id,
        revenue_date,
        order_item_id,
        order_id,
        customer_id,
        product_id,
        category,
        country_code,
        region,
        channel,
        device,
        payment_method,
        units,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin,
        returned_units,
        refund_amount,
        returned_cost,
        {{ money('net_revenue - refund_amount') }} as net_revenue_after_refunds,
        {{ money('margin - refund_amount + returned_cost') }} as margin_after_refunds

    from unioned

)

select * from final
