with

events as (

    select * from {{ ref('stg_bronze__events') }}

),

sessions as (

    select * from {{ ref('stg_bronze__sessions') }}

),

final as (

    select
        events.event_id,
        events.session_id,
        events.customer_id,
        events.event_type,
        events.event_at,
        events.event_date,
        events.product_id,
        events.quantity,
        sessions.device,
        sessions.channel,
        sessions.country_code

    from events
    left join sessions
        on events.session_id = sessions.session_id

)

select * from final
