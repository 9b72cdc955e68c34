{# Reported in Dagster as a check on funnel_daily. #}
{{ config(meta={'dagster': {'ref': {'name': 'funnel_daily'}}}) }}

-- Every row of the funnel narrows or stays level at each step: sessions >= product views >= add
-- to cart >= begin checkout >= purchase >= 0. Returns the rows that break it.

with

funnel as (

    select * from {{ ref('funnel_daily') }}

),

final as (

    select
        funnel_daily_id,
        session_date,
        device,
        channel,
        sessions,
        product_view_sessions,
        add_to_cart_sessions,
        begin_checkout_sessions,
        purchase_sessions

    from funnel
    where
        not (
            sessions >= product_view_sessions
            and product_view_sessions >= add_to_cart_sessions
            and add_to_cart_sessions >= begin_checkout_sessions
            and begin_checkout_sessions >= purchase_sessions
            and purchase_sessions >= 0
        )

)

select * from final
