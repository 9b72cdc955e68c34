with

source as (

    select * from {{ source('bronze', 'events') }}

),

renamed as (

    select
        ----------  ids
        event_id,
        session_id,
        customer_id,
        product_id,

        ----------  strings
        event_type,

        ----------  numerics
        quantity,

        ----------  timestamps (UTC)
        {{ to_utc_timestamp('event_at') }} as event_at,
        cast({{ to_utc_timestamp('event_at') }} as date) as event_date,

        ----------  lake
        partition_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by event_id
        order by partition_date desc, _ingested_at desc
    ) = 1

),

final as (

    select
        event_id,
        session_id,
        customer_id,
        event_type,
        event_at,
        event_date,
        product_id,
        quantity,
        _ingested_at

    from deduplicated

)

select * from final
