{#-
    Multi-touch attribution of every order's net revenue (after discounts, before refunds) to the
    touches in its lookback window (int_order_touchpoints_windowed), under five models. An order
    without a touch gets one row of its own, channel 'direct' and touchpoint_type 'no_touch', which
    takes the whole order under every model. Weights are exact shares (doubles summing to 1 per
    order); money is split in whole cents by cumulative rounding: the touches up to position k get
    round(order cents x the model's cumulative share through k), the last touch the rest, so every
    order's credits add up to its net revenue exactly under every model and each credit is within
    a cent of its exact share.
-#}

{%- set half_life = attribution_half_life_days() -%}
{%- set end_share = attribution_position_end_share() -%}

with

orders as (

    select * from {{ ref('fct_orders') }}

),

touches as (

    select * from {{ ref('int_order_touchpoints_windowed') }}

),

paths as (

    select
        orders.order_id,
        touches.touchpoint_id,
        orders.customer_id,
        touches.campaign_id,
        coalesce(touches.touchpoint_type, 'no_touch') as touchpoint_type,
        coalesce(touches.channel, 'direct') as channel,
        orders.ordered_at,
        orders.order_date,
        touches.touched_at,
        touches.days_before_order,
        coalesce(touches.touch_position, 0) as touch_position,
        coalesce(touches.touch_count, 0) as touch_count,
        orders.is_first_order,
        orders.net_revenue as order_net_revenue,
        cast(orders.net_revenue * 100 as bigint) as order_cents,
        -- the step of the path the weights split the order over: the no-touch row is a path of one
        coalesce(touches.touch_position, 1) as step,
        coalesce(touches.touch_count, 1) as steps,
        -- time decay before normalisation: halves every half-life before the order
        coalesce(pow(2, -touches.days_before_order / {{ half_life }}), 1) as time_decay_score

    from orders
    left join touches
        on orders.order_id = touches.order_id

),

weighted as (

    select
        *,
        cast(case when step = 1 then 1 else 0 end as double) as first_touch_weight,
        cast(case when step = steps then 1 else 0 end as double) as last_touch_weight,
        cast(1 / steps as double) as linear_weight,
        time_decay_score / sum(time_decay_score) over by_order as time_decay_weight,
        cast(
            case
                when steps = 1 then 1
                when steps = 2 then 0.5
                when step = 1 or step = steps then {{ end_share }}
                else (1 - 2 * {{ end_share }}) / (steps - 2)
            end as double
        ) as position_based_weight,
        -- each model's share of the order credited to the touches up to this one
        cast(1 as double) as first_touch_cumulative,
        cast(case when step = steps then 1 else 0 end as double) as last_touch_cumulative,
        cast(step / steps as double) as linear_cumulative,
        sum(time_decay_score) over through_step / sum(time_decay_score) over by_order as time_decay_cumulative,
        cast(
            case
                when step = steps then 1
                when steps = 2 then 0.5
                when step = 1 then {{ end_share }}
                else {{ end_share }} + (1 - 2 * {{ end_share }}) * (step - 1) / (steps - 2)
            end as double
        ) as position_based_cumulative

    from paths
    window
        by_order as (partition by order_id),
        through_step as (partition by order_id order by step rows between unbounded preceding and current row)

),

allocated as (

    select
        *,
        {%- for model in attribution_models() %}
        case
            when step = steps then order_cents
            else cast(floor(order_cents * {{ model }}_cumulative + 0.5) as bigint)
        end as {{ model }}_cents_through_step{{ ',' if not loop.last }}
        {%- endfor %}

    from weighted

),

credited as (

    select
        *,
        {%- for model in attribution_models() %}
        {{ model }}_cents_through_step
        - lag({{ model }}_cents_through_step, 1, 0) over by_step as {{ model }}_cents{{ ',' if not loop.last }}
        {%- endfor %}

    from allocated
    window by_step as (partition by order_id order by step)

),

final as (

    select
        {{ surrogate_key(['order_id', 'touchpoint_id']) }} as attribution_credit_id,
        order_id,
        touchpoint_id,
        customer_id,
        campaign_id,
        touchpoint_type,
        channel,
        ordered_at,
        order_date,
        touched_at,
        days_before_order,
        touch_position,
        touch_count,
        is_first_order,
        order_net_revenue,
        {%- for model in attribution_models() %}
        {{ model }}_weight,
        {%- endfor %}
        {%- for model in attribution_models() %}
        {{ money('cast(' ~ model ~ '_cents as decimal(18, 2)) * 0.01') }}
            as {{ model }}_revenue{{ ',' if not loop.last }}
        {%- endfor %}

    from credited

)

select * from final
