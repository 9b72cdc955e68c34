with

products as (

    select * from {{ ref('stg_bronze__products') }}

),

latest_snapshot as (

    select max(snapshot_date) as latest_snapshot_date
    from products

),

final as (

    select
        products.product_id,
        products.product_name,
        products.category,
        products.subcategory,
        products.brand,
        products.unit_price,
        products.unit_cost,
        {{ money('products.unit_price - products.unit_cost') }} as unit_margin,
        products.snapshot_date as last_seen_date,
        products.snapshot_date = latest_snapshot.latest_snapshot_date as is_active

    from products
    cross join latest_snapshot

)

select * from final
