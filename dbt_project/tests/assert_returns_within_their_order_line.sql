{# Reported in Dagster as a check on stg_bronze__returns. #}
{{ config(meta={'dagster': {'ref': {'name': 'stg_bronze__returns'}}}) }}

-- A return comes back after its order and never gives back more than the line sold: over all
-- returns of a line, returned units <= the line's quantity and refunds <= the line's net amount
-- (quantity * unit_price - discount_amount). Returns the lines that break it; returns whose line
-- is missing are left to the relationships test.

with

returns as (

    select * from {{ ref('stg_bronze__returns') }}

),

order_items as (

    select * from {{ ref('stg_bronze__order_items') }}

),

orders as (

    select * from {{ ref('stg_bronze__orders') }}

),

line_returns as (

    select
        order_item_id,
        count(*) as return_count,
        sum(quantity) as returned_units,
        sum(refund_amount) as refund_amount,
        min(returned_at) as first_returned_at

    from returns
    group by order_item_id

),

joined as (

    select
        line_returns.order_item_id,
        orders.ordered_at,
        line_returns.first_returned_at,
        order_items.quantity,
        line_returns.returned_units,
        {{ money('order_items.quantity * order_items.unit_price - order_items.discount_amount') }} as line_net_amount,
        line_returns.refund_amount

    from line_returns
    inner join order_items
        on line_returns.order_item_id = order_items.order_item_id
    inner join orders
        on order_items.order_id = orders.order_id

),

final as (

    select *
    from joined
    where
        first_returned_at <= ordered_at
        or returned_units > quantity
        or refund_amount > line_net_amount

)

select * from final
