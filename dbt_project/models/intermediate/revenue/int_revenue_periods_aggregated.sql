-- Revenue per period (day, week starting Monday, month) x dimension x dimension value, in one
-- long table the three revenue_by_dimension_* marts slice by grain. Every period between the
-- first order date and the as-of date is present for every dimension value (zero-filled), so
-- "previous period" is always the calendar's previous period.

{% set dimensions = ['category', 'region', 'country_code', 'channel', 'device', 'payment_method'] %}

with

revenue_lines as (

    select * from {{ ref('int_revenue_lines_unioned') }}

),

dates as (

    select * from {{ ref('dim_dates') }}

),

grains as (

    select period_grain
    from (values ('day'), ('week'), ('month')) as grain_values (period_grain)

),

bounds as (

    select
        min(case when line_type = 'sale' then revenue_date end) as first_date,
        max(case when line_type = 'sale' then revenue_date end) as as_of_date

    from revenue_lines

),

lines_in_periods as (

    select
        grains.period_grain,
        cast(date_trunc(grains.period_grain, revenue_lines.revenue_date) as date) as period_start,
        revenue_lines.*

    from revenue_lines
    cross join grains

),

unpivoted as (

    select
        period_grain,
        period_start,
        'total' as dimension,
        'all' as dimension_value,
        line_type,
        order_id,
        customer_id,
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

    from lines_in_periods

    {% for dimension in dimensions %}
    union all

    select
        period_grain,
        period_start,
        '{{ "country" if dimension == "country_code" else dimension }}' as dimension,
        coalesce({{ dimension }}, 'unknown') as dimension_value,
        line_type,
        order_id,
        customer_id,
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

    from lines_in_periods
    {% endfor %}

),

aggregated as (

    select
        period_grain,
        period_start,
        dimension,
        dimension_value,
        count(distinct case when line_type = 'sale' then order_id end) as orders,
        count(distinct case when line_type = 'sale' then customer_id end) as customers,
        sum(units) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        sum(returned_units) as returned_units,
        sum(refund_amount) as refund_amount,
        sum(returned_cost) as returned_cost,
        sum(net_revenue_after_refunds) as net_revenue_after_refunds,
        sum(margin_after_refunds) as margin_after_refunds

    from unpivoted
    group by period_grain, period_start, dimension, dimension_value

),

periods as (

    select
        grains.period_grain,
        cast(date_trunc(grains.period_grain, dates.date_day) as date) as period_start,
        count(*) as days_with_data

    from dates
    cross join grains
    cross join bounds
    where dates.date_day between bounds.first_date and bounds.as_of_date
    group by grains.period_grain, cast(date_trunc(grains.period_grain, dates.date_day) as date)

),

periods_bounded as (

    select
        period_grain,
        period_start,
        case period_grain
            when 'day' then period_start
            when 'week' then cast(period_start + interval 6 day as date)
            else cast(last_day(period_start) as date)
        end as period_end,
        days_with_data

    from periods

),

members as (

    select distinct
        dimension,
        dimension_value

    from unpivoted

),

zero_filled as (

    select
        periods_bounded.period_grain,
        periods_bounded.period_start,
        periods_bounded.period_end,
        periods_bounded.days_with_data
        = date_diff('day', periods_bounded.period_start, periods_bounded.period_end) + 1 as is_complete_period,
        members.dimension,
        members.dimension_value,
        coalesce(aggregated.orders, 0) as orders,
        coalesce(aggregated.customers, 0) as customers,
        cast(coalesce(aggregated.units, 0) as bigint) as units,
        {{ money('coalesce(aggregated.gross_revenue, 0)') }} as gross_revenue,
        {{ money('coalesce(aggregated.discount_amount, 0)') }} as discount_amount,
        {{ money('coalesce(aggregated.net_revenue, 0)') }} as net_revenue,
        {{ money('coalesce(aggregated.cost, 0)') }} as cost,
        {{ money('coalesce(aggregated.margin, 0)') }} as margin,
        cast(coalesce(aggregated.returned_units, 0) as bigint) as returned_units,
        {{ money('coalesce(aggregated.refund_amount, 0)') }} as refund_amount,
        {{ money('coalesce(aggregated.returned_cost, 0)') }} as returned_cost,
        {{ money('coalesce(aggregated.net_revenue_after_refunds, 0)') }} as net_revenue_after_refunds,
        {{ money('coalesce(aggregated.margin_after_refunds, 0)') }} as margin_after_refunds

    from periods_bounded
    cross join members
    left join aggregated
        on
            periods_bounded.period_grain = aggregated.period_grain
            and periods_bounded.period_start = aggregated.period_start
            and members.dimension = aggregated.dimension
            and members.dimension_value = aggregated.dimension_value

),

with_previous as (

    select
        *,
        lag(net_revenue) over (
            partition by period_grain, dimension, dimension_value
            order by period_start
        ) as previous_period_net_revenue,
        -- same period last year: the same weekday 52 weeks earlier for days and weeks, the same
        -- month a year earlier for months
        case period_grain
            when 'month' then cast(period_start - interval 1 year as date)
            else cast(period_start - interval 364 day as date)
        end as last_year_period_start

    from zero_filled

),

final as (

    select
        current_period.period_grain,
        current_period.period_start,
        current_period.period_end,
        current_period.is_complete_period,
        current_period.dimension,
        current_period.dimension_value,
        current_period.orders,
        current_period.customers,
        current_period.units,
        current_period.gross_revenue,
        current_period.discount_amount,
        current_period.net_revenue,
        current_period.cost,
        current_period.margin,
        current_period.returned_units,
        current_period.refund_amount,
        current_period.returned_cost,
        current_period.net_revenue_after_refunds,
        current_period.margin_after_refunds,
        case
            when current_period.net_revenue != 0
                then cast(current_period.margin as double) / cast(current_period.net_revenue as double)
        end as margin_rate,
        current_period.previous_period_net_revenue,
        case
            when current_period.previous_period_net_revenue != 0
                then cast(current_period.net_revenue - current_period.previous_period_net_revenue as double)
                / cast(current_period.previous_period_net_revenue as double)
        end as net_revenue_growth_vs_previous_period,
        last_year.net_revenue as last_year_net_revenue,
        case
            when last_year.net_revenue != 0
                then cast(current_period.net_revenue - last_year.net_revenue as double)
                / cast(last_year.net_revenue as double)
        end as net_revenue_growth_vs_last_year

    from with_previous as current_period
    left join zero_filled as last_year
        on
            current_period.period_grain = last_year.period_grain
            and current_period.last_year_period_start = last_year.period_start
            and current_period.dimension = last_year.dimension
            and current_period.dimension_value = last_year.dimension_value

)

select * from final
