with

revenue_lines as (

    select * from {{ ref('int_revenue_lines_unioned') }}

),

aggregated as (

    -- sales count on their order date, refunds on their return date (see int_revenue_lines_unioned)
    select
        revenue_date as order_date,
        category,
        country_code,
        device,
        count(distinct case when line_type = 'sale' then order_id end) as orders,
        cast(sum(units) as bigint) as units,
        {{ money('sum(gross_revenue)') }} as gross_revenue,
        {{ money('sum(discount_amount)') }} as discount_amount,
        {{ money('sum(net_revenue)') }} as net_revenue,
        {{ money('sum(cost)') }} as cost,
        {{ money('sum(margin)') }} as margin,
        cast(sum(returned_units) as bigint) as returned_units,
        {{ money('sum(refund_amount)') }} as refund_amount,
        {{ money('sum(returned_cost)') }} as returned_cost,
        {{ money('sum(net_revenue_after_refunds)') }} as net_revenue_after_refunds,
        {{ money('sum(margin_after_refunds)') }} as margin_after_refunds

    from revenue_lines
    group by revenue_date, category, country_code, device

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
        margin,
        returned_units,
        refund_amount,
        returned_cost,
        net_revenue_after_refunds,
        margin_after_refunds

    from aggregated

)

select * from final
