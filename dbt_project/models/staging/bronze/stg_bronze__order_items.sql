with

source as (

    select * from {{ source('bronze', 'order_items') }}

),

renamed as (

    select
        ----------  ids
        order_id || '-' || cast(line_number as varchar) as order_item_id,
        order_id,
        line_number,
        product_id,

        ----------  numerics
        quantity,

        ----------  money
        {{ money('unit_price') }} as unit_price,
        -- a landed export line of an unknown product has no cost: counted as 0
        {{ money('coalesce(unit_cost, 0)') }} as unit_cost,
        {{ money('discount_amount') }} as discount_amount,

        ----------  lake
        partition_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by order_id, line_number
        order by partition_date desc, _ingested_at desc
    ) = 1

),

final as (

    select
        order_item_id,
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        unit_cost,
        discount_amount,
        _ingested_at

    from deduplicated

)

select * from final
