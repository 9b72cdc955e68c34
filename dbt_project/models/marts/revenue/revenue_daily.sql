with

order_items as (

    select * from {{ ref('int_order_items_enriched') }}

),

aggregated as (

    select
        order_date,
        category,
        country_code,
        device,
        count(distinct order_id) as orders,
        cast(sum(quantity) as bigint) as units,
        {{ money('sum(gross_revenue)') }} as gross_revenue,
        {{ money('sum(discount_amount)') }} as discount_amount,
        {{ money('sum(net_revenue)') }} as net_revenue,
        {{ money('sum(cost)') }} as cost,
        {{ money('sum(margin)') }} as margin

    from order_items
    group by order_date, category, country_code, device

),

final as (

    select
        {{ surrogate_key(['order_date', 'category', 'country_code', 'device']) }} as revenue_daily_id,
        order_date,
        category,
        country_code,
        device,
        orders,
        units,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin

    from aggregated

)

select * from final
