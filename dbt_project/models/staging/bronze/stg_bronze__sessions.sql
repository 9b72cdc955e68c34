with

source as (

    select * from {{ source('bronze', 'sessions') }}

),

renamed as (

    select
        ----------  ids
        session_id,
        customer_id,
        campaign_id,

        ----------  strings
        device,
        browser,
        channel,
        referrer,
        country_code,

        ----------  timestamps (UTC)
        {{ to_utc_timestamp('started_at') }} as started_at,
        {{ to_utc_timestamp('ended_at') }} as ended_at,
        cast({{ to_utc_timestamp('started_at') }} as date) as session_date,

        ----------  lake
        partition_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by session_id
        order by partition_date desc, _ingested_at desc
    ) = 1

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
        _ingested_at

    from deduplicated

)

select * from final
