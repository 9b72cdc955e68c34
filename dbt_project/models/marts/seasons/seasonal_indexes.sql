{#-
    Seasonal indexes of orders and net revenue by month of the year, ISO day of the week and hour
    of the day (UTC, from ordered_at). The window is every day from the first order date to the
    as-of date, the latest order date. A period's observed_periods counts how many times it
    occurred in the window: hours and weekdays in whole days, months in full-month equivalents
    (the days of the month in the window / the days of that month), so a partly covered month is
    not compared with a full one. The index is the period's value per observed period divided by
    the mean of that over every period of its type that occurs in the window: 1.0 = average.
-#}

with

orders as (

    select * from {{ ref('fct_orders') }}

),

dates as (

    select * from {{ ref('dim_dates') }}

),

bounds as (

    select
        min(order_date) as first_date,
        max(order_date) as as_of_date

    from orders

),

window_days as (

    select
        dates.date_day,
        dates.month_start_date,
        dates.month,
        dates.day_of_week

    from dates
    cross join bounds
    where dates.date_day between bounds.first_date and bounds.as_of_date

),

month_coverage as (

    -- the share of each calendar month inside the window: 1.0 when every day of it is
    select
        month,
        count(*) as observed_days,
        count(*) / cast(dayofmonth(last_day(month_start_date)) as double) as observed_periods

    from window_days
    group by month_start_date, month

),

hours as (

    select cast(hour_value as integer) as hour_of_day
    from range(24) as hour_values (hour_value)

),

observed as (

    select
        'month' as period_type,
        month as period,
        cast(sum(observed_days) as bigint) as observed_days,
        sum(observed_periods) as observed_periods

    from month_coverage
    group by month

    union all

    select
        'day_of_week' as period_type,
        day_of_week as period,
        count(*) as observed_days,
        cast(count(*) as double) as observed_periods

    from window_days
    group by day_of_week

    union all

    select
        'hour' as period_type,
        hours.hour_of_day as period,
        count(*) as observed_days,
        cast(count(*) as double) as observed_periods

    from window_days
    cross join hours
    group by hours.hour_of_day

),

order_periods as (

    select
        order_id,
        net_revenue,
        cast(month(order_date) as integer) as month,
        cast(isodow(order_date) as integer) as day_of_week,
        cast(hour(ordered_at) as integer) as hour_of_day

    from orders

),

ordered as (

    select
        'month' as period_type,
        month as period,
        count(*) as orders,
        sum(net_revenue) as net_revenue

    from order_periods
    group by month

    union all

    select
        'day_of_week' as period_type,
        day_of_week as period,
        count(*) as orders,
        sum(net_revenue) as net_revenue

    from order_periods
    group by day_of_week

    union all

    select
        'hour' as period_type,
        hour_of_day as period,
        count(*) as orders,
        sum(net_revenue) as net_revenue

    from order_periods
    group by hour_of_day

),

per_period as (

    select
        observed.period_type,
        observed.period,
        observed.observed_days,
        cast(observed.observed_periods as double) as observed_periods,
        coalesce(ordered.orders, 0) as orders,
        {{ money('coalesce(ordered.net_revenue, 0)') }} as net_revenue,
        coalesce(ordered.orders, 0) / cast(observed.observed_periods as double) as orders_per_observed_period,
        cast(coalesce(ordered.net_revenue, 0) as double)
        / cast(observed.observed_periods as double) as net_revenue_per_observed_period

    from observed
    left join ordered
        on
            observed.period_type = ordered.period_type
            and observed.period = ordered.period

),

final as (

    select
        period_type || '-' || cast(period as varchar) as seasonal_index_id,
        period_type,
        period,
        case period_type
            when 'month' then monthname(make_date(2001, period, 1))
            when 'day_of_week' then dayname(cast(date '2001-01-01' + (period - 1) as date))
            else lpad(cast(period as varchar), 2, '0') || ':00 UTC'
        end as period_name,
        observed_days,
        observed_periods,
        orders,
        net_revenue,
        round(orders_per_observed_period, 6) as orders_per_observed_period,
        {{ money('net_revenue_per_observed_period') }} as net_revenue_per_observed_period,
        -- rounded to 6 decimals: the indexes of a period type average 1 within 1e-6
        round({{ ratio_or_zero(
            'orders_per_observed_period',
            'avg(orders_per_observed_period) over (partition by period_type)'
        ) }}, 6) as orders_index,
        round({{ ratio_or_zero(
            'net_revenue_per_observed_period',
            'avg(net_revenue_per_observed_period) over (partition by period_type)'
        ) }}, 6) as net_revenue_index

    from per_period

)

select * from final
