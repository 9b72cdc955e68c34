{# Reported in Dagster as a check on product_performance. #}
{{ config(meta={'dagster': {'ref': {'name': 'product_performance'}}}) }}

-- A product without a line in fct_order_items is 'unsold' with zeros, not nulls, in every
-- purchase, money and rate column, and no sale dates or growth. Returns the products that break
-- it.

with

performance as (

    select * from {{ ref('product_performance') }}

),

order_items as (

    select * from {{ ref('fct_order_items') }}

),

never_sold as (

    select performance.*
    from performance
    where not exists (
        select 1
        from order_items
        where order_items.product_id = performance.product_id
    )

),

final as (

    select
        product_id,
        lifecycle_stage,
        units,
        net_revenue,
        return_rate,
        view_to_purchase_rate

    from never_sold
    where
        lifecycle_stage is distinct from 'unsold'
        or purchases is distinct from 0
        or buyers is distinct from 0
        or units is distinct from 0
        or gross_revenue is distinct from 0
        or discount_amount is distinct from 0
        or net_revenue is distinct from 0
        or cost is distinct from 0
        or margin is distinct from 0
        or margin_rate is distinct from 0
        or returned_units is distinct from 0
        or refund_amount is distinct from 0
        or returned_cost is distinct from 0
        or net_revenue_after_refunds is distinct from 0
        or margin_after_refunds is distinct from 0
        or return_rate is distinct from 0
        or view_to_purchase_rate is distinct from 0
        or trailing_net_revenue is distinct from 0
        or previous_trailing_net_revenue is distinct from 0
        or views is null
        or viewing_sessions is null
        or add_to_carts is null
        or first_sale_date is not null
        or last_sale_date is not null
        or trailing_net_revenue_growth is not null

)

select * from final
