with

source as (

    select * from {{ source('bronze', 'returns') }}

),

renamed as (

    select
        ----------  ids
        return_id,
        order_id || '-' || cast(line_number as varchar) as order_item_id,
        order_id,
        line_number,
        product_id,

        ----------  strings
        reason as return_reason,

        ----------  numerics
        quantity,

        ----------  money
        {{ money('refund_amount') }} as refund_amount,

        ----------  timestamps (UTC)
        {{ to_utc_timestamp('returned_at') }} as returned_at,
        cast({{ to_utc_timestamp('returned_at') }} as date) as return_date,

        ----------  lake
        -- the partition is the original order's day, not the return's
        partition_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by return_id
        order by partition_date desc, _ingested_at desc
    ) = 1

),

final as (

    select
        return_id,
        order_item_id,
        order_id,
        line_number,
        product_id,
        quantity,
        refund_amount,
        returned_at,
        return_date,
        return_reason,
        _ingested_at

    from deduplicated

)

select * from final
