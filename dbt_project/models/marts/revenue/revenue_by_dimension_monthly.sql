with

revenue_periods as (

    select * from {{ ref('int_revenue_periods_aggregated') }}
    where period_grain = 'month'

),

final as (

    select
        {{ surrogate_key(['period_start', 'dimension', 'dimension_value']) }} as revenue_by_dimension_monthly_id,
        period_start,
        period_end,
        is_complete_period,
        dimension,
        dimension_value,
        orders,
        customers,
        units,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin,
        margin_rate,
        returned_units,
        refund_amount,
        returned_cost,
        net_revenue_after_refunds,
        margin_after_refunds,
        previous_period_net_revenue,
        net_revenue_growth_vs_previous_period,
        last_year_net_revenue,
        net_revenue_growth_vs_last_year

    from revenue_periods

)

select * from final
