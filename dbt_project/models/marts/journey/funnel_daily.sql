-- The session funnel per day x device x channel: sessions that reached a product view, an add to
-- cart, a checkout and a purchase, and the conversion between consecutive steps. Step counts are
-- monotonic by construction (see int_sessions_daily_aggregated); a rate whose denominator is 0
-- (a day without sessions, or without any session at the previous step) is 0.

with

sessions_daily as (

    select * from {{ ref('int_sessions_daily_aggregated') }}

),

final as (

    select
        {{ surrogate_key(['session_date', 'device', 'channel']) }} as funnel_daily_id,
        session_date,
        device,
        channel,
        sessions,
        product_view_sessions,
        add_to_cart_sessions,
        begin_checkout_sessions,
        purchase_sessions,
        {{ ratio_or_zero('product_view_sessions', 'sessions') }} as product_view_rate,
        {{ ratio_or_zero('add_to_cart_sessions', 'product_view_sessions') }} as view_to_cart_rate,
        {{ ratio_or_zero('begin_checkout_sessions', 'add_to_cart_sessions') }} as cart_to_checkout_rate,
        {{ ratio_or_zero('purchase_sessions', 'begin_checkout_sessions') }} as checkout_to_purchase_rate,
        {{ ratio_or_zero('purchase_sessions', 'sessions') }} as session_conversion_rate

    from sessions_daily

)

select * from final
