{#-
    Every order with the marketing touches of its customer in the lookback window
    (ordered_at - var attribution_lookback_days, ordered_at]: a touch at the very moment of the
    order counts, one exactly lookback days earlier does not. Touches are numbered in time order
    (ties by touchpoint_id). Orders without a touch in the window have no row here; the
    attribution marts credit them to 'direct'.
-#}

with

orders as (

    select * from {{ ref('fct_orders') }}

),

touchpoints as (

    select * from {{ ref('stg_bronze__touchpoints') }}

),

windowed as (

    select
        orders.order_id,
        touchpoints.touchpoint_id,
        orders.customer_id,
        touchpoints.campaign_id,
        touchpoints.session_id,
        touchpoints.touchpoint_type,
        touchpoints.channel,
        orders.ordered_at,
        touchpoints.touched_at,
        touchpoints.touch_date,
        cast(epoch_us(orders.ordered_at) - epoch_us(touchpoints.touched_at) as double)
        / 86400000000 as days_before_order

    from orders
    inner join touchpoints
        on
            orders.customer_id = touchpoints.customer_id
            and orders.ordered_at - to_days({{ attribution_lookback_days() }}) < touchpoints.touched_at
            and orders.ordered_at >= touchpoints.touched_at

),

final as (

    select
        order_id,
        touchpoint_id,
        customer_id,
        campaign_id,
        session_id,
        touchpoint_type,
        channel,
        ordered_at,
        touched_at,
        touch_date,
        days_before_order,
        row_number() over (partition by order_id order by touched_at, touchpoint_id) as touch_position,
        count(*) over (partition by order_id) as touch_count

    from windowed

)

select * from final
