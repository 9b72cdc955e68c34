with

source as (

    select * from {{ source('bronze', 'touchpoints') }}

),

renamed as (

    select
        ----------  ids
        touchpoint_id,
        customer_id,
        campaign_id,
        session_id,

        ----------  strings
        touchpoint_type,
        channel,

        ----------  timestamps (UTC)
        {{ to_utc_timestamp('touched_at') }} as touched_at,
        cast({{ to_utc_timestamp('touched_at') }} as date) as touch_date,

        ----------  lake
        partition_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by touchpoint_id
        order by partition_date desc, _ingested_at desc
    ) = 1

),

final as (

    select
        touchpoint_id,
        customer_id,
        campaign_id,
        session_id,
        touchpoint_type,
        channel,
        touched_at,
        touch_date,
        _ingested_at

    from deduplicated

)

select * from final
