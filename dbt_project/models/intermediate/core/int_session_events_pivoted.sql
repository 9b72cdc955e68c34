with

events as (

    select * from {{ ref('stg_bronze__events') }}

),

final as (

    select
        session_id,
        count(*) as event_count,
        {%- for event_type in event_types() %}
        count(*) filter (where event_type = '{{ event_type }}') as {{ event_type }}_count,
        {%- endfor %}
        min(event_at) as first_event_at,
        max(event_at) as last_event_at

    from events
    group by session_id

)

select * from final
