with

source as (

    select * from {{ source('bronze', 'customers') }}

),

renamed as (

    select
        ----------  ids
        customer_id,

        ----------  strings
        first_name,
        last_name,
        email,
        country_code,
        region,
        city,
        acquisition_channel,
        segment as behaviour_segment,

        ----------  numerics
        latitude,
        longitude,

        ----------  timestamps (UTC)
        {{ to_utc_timestamp('signup_at') }} as signed_up_at,
        cast({{ to_utc_timestamp('signup_at') }} as date) as signup_date,

        ----------  lake
        partition_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

deduplicated as (

    -- a customer lands once; should it land again, the latest write wins
    select *
    from renamed
    qualify row_number() over (
        partition by customer_id
        order by partition_date desc, _ingested_at desc
    ) = 1

),

final as (

    select
        customer_id,
        first_name,
        last_name,
        email,
        country_code,
        region,
        city,
        latitude,
        longitude,
        acquisition_channel,
        behaviour_segment,
        signed_up_at,
        signup_date,
        _ingested_at

    from deduplicated

)

select * from final
