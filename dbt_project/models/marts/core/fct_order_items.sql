with

order_items as (

    select * from {{ ref('int_order_items_enriched') }}

),

final as (

    select
        order_item_id,
        order_id,
        line_number,
        customer_id,
        product_id,
        ordered_at,
        order_date,
        product_name,
        category,
        subcategory,
        brand,
        country_code,
        device,
        payment_method,
        currency,
        quantity,
        unit_price,
        unit_cost,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin

    from order_items

)

select * from final
