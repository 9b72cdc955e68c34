with

source as (

    select * from {{ source('bronze', 'orders') }}

),

renamed as (

    select
        ----------  ids
        order_id,
        customer_id,
        session_id,
        card_id,
        device_id,

        ----------  strings
        payment_method,
        device,
        country_code,
        currency,

        ----------  numerics
        latitude,
        longitude,

        ----------  timestamps (UTC)
        {{ to_utc_timestamp('ordered_at') }} as ordered_at,
        cast({{ to_utc_timestamp('ordered_at') }} as date) as order_date,

        ----------  lake
        partition_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by order_id
        order by partition_date desc, _ingested_at desc
    ) = 1

),

final as (

    select
        order_id,
        customer_id,
        session_id,
        ordered_at,
        order_date,
        payment_method,
        card_id,
        device,
        device_id,
        country_code,
        latitude,
        longitude,
        currency,
        _ingested_at

    from deduplicated

)

select * from final
