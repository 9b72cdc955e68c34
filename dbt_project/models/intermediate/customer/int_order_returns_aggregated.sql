{#-
    Refunds per order, counted as of the data's as-of date: the latest order date in the data.
    Bronze files a return under its order's day, so a return can carry a returned_at after the
    last loaded day; such a return has not happened yet from the warehouse's point of view and is
    left out. The returned units go back to stock, so their cost of goods is reversed
    (returned_cost = returned units x the line's unit cost).
-#}

with

returns as (

    select * from {{ ref('stg_bronze__returns') }}

),

order_items as (

    select * from {{ ref('int_order_items_enriched') }}

),

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

as_of as (

    -- exactly one row
    select max(order_date) as as_of_date
    from orders

),

returned_lines as (

    select
        returns.return_id,
        returns.order_id,
        returns.quantity as returned_units,
        returns.refund_amount,
        {{ money('returns.quantity * order_items.unit_cost') }} as returned_cost

    from returns
    inner join order_items
        on returns.order_item_id = order_items.order_item_id
    cross join as_of
    where returns.return_date <= as_of.as_of_date

),

final as (

    select
        order_id,
        count(*) as return_count,
        cast(sum(returned_units) as bigint) as returned_units,
        {{ money('sum(refund_amount)') }} as refund_amount,
        {{ money('sum(returned_cost)') }} as returned_cost

    from returned_lines
    group by order_id

)

select * from final
