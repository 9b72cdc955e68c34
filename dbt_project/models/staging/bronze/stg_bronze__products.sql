with

source as (

    select * from {{ source('bronze', 'products') }}

),

renamed as (

    select
        ----------  ids
        product_id,

        ----------  strings
        product_name,
        category,
        subcategory,
        brand,

        ----------  money
        {{ money('unit_price') }} as unit_price,
        {{ money('unit_cost') }} as unit_cost,

        ----------  lake
        partition_date as snapshot_date,
        {{ to_utc_timestamp('_ingested_at') }} as _ingested_at

    from source

),

latest_snapshot as (

    -- bronze holds one catalog snapshot per day: keep each product as it stood when last seen
    select *
    from renamed
    qualify row_number() over (
        partition by product_id
        order by snapshot_date desc, _ingested_at desc
    ) = 1

),

final as (

    select
        product_id,
        product_name,
        category,
        subcategory,
        brand,
        unit_price,
        unit_cost,
        snapshot_date,
        _ingested_at

    from latest_snapshot

)

select * from final
