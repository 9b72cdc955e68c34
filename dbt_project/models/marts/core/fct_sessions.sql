with

sessions as (

    select * from {{ ref('stg_bronze__sessions') }}

),

session_events as (

    select * from {{ ref('int_session_events_pivoted') }}

),

orders as (

    select * from {{ ref('stg_bronze__orders') }}

),

session_orders as (

    select
        session_id,
        count(*) as order_count

    from orders
    where session_id is not null
    group by session_id

),

joined as (

    select
        sessions.session_id,
        sessions.customer_id,
        sessions.started_at,
        sessions.ended_at,
        sessions.session_date,
        sessions.device,
        sessions.browser,
        sessions.channel,
        sessions.referrer,
        sessions.campaign_id,
        sessions.country_code,
        date_diff('second', sessions.started_at, sessions.ended_at) as duration_seconds,
        coalesce(session_events.event_count, 0) as event_count,
        {%- for event_type in event_types() %}
        coalesce(session_events.{{ event_type }}_count, 0) as {{ event_type }}_count,
        {%- endfor %}
        coalesce(session_orders.order_count, 0) as order_count

    from sessions
    left join session_events
        on sessions.session_id = session_events.session_id
    left join session_orders
        on sessions.session_id = session_orders.session_id

),

final as (

    select
        session_id,
        customer_id,
        started_at,
        ended_at,
        session_date,
        device,
        browser,
        channel,
        referrer,
        campaign_id,
        country_code,
        duration_seconds,
        event_count,
        {%- for event_type in event_types() %}
        {{ event_type }}_count,
        {%- endfor %}
        order_count,
        product_view_count > 0 as has_product_view,
        add_to_cart_count > 0 as has_add_to_cart,
        begin_checkout_count > 0 as has_begin_checkout,
        purchase_count > 0 or order_count > 0 as has_purchase,
        event_count <= 1 as is_bounce

    from joined

)

select * from final
