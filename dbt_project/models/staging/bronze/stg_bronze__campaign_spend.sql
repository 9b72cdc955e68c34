with

source as (

    select * from {{ source('bronze', 'campaign_spend') }}

),

renamed as (

    select
        ----------  ids
        campaign_id || '-' || strftime(spend_date, '%Y%m%d') as campaign_spend_id,
        campaign_id,

        ----------  strings
        campaign_name,
        channel,

        ----------  numerics
        impressions,
        clicks,

        ----------  money
        {{ money('spend') }} as spend,

        ----------  dates
        spend_date,

        ----------  lake
        partition_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by campaign_id, spend_date
        order by partition_date desc, _ingested_at desc
    ) = 1

),

final as (

    select
        campaign_spend_id,
        campaign_id,
        spend_date,
        campaign_name,
        channel,
        spend,
        impressions,
        clicks,
        _ingested_at

    from deduplicated

)

select * from final
