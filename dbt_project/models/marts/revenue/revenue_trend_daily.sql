-- Total revenue per calendar day from the first order date to the as-of date (the latest order
-- date), zero-filled, with moving averages and growth. A moving average is null until its window
-- is full; a growth is null when the day compared with lies before the data or had no revenue.

with

revenue_lines as (

    select * from {{ ref('int_revenue_lines_unioned') }}

),

dates as (

    select * from {{ ref('dim_dates') }}

),

bounds as (

    select
        min(case when line_type = 'sale' then revenue_date end) as first_date,
        max(case when line_type = 'sale' then revenue_date end) as as_of_date

    from revenue_lines

),

spine as (

    select dates.date_day
    from dates
    cross join bounds
    where dates.date_day between bounds.first_date and bounds.as_of_date

),

daily as (

    select
        revenue_date,
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

    from revenue_lines
    group by revenue_date

),

zero_filled as (

    select
        spine.date_day,
        coalesce(daily.orders, 0) as orders,
        coalesce(daily.customers, 0) as customers,
        cast(coalesce(daily.units, 0) as bigint) as units,
        {{ money('coalesce(daily.gross_revenue, 0)') }} as gross_revenue,
        {{ money('coalesce(daily.discount_amount, 0)') }} as discount_amount,
        {{ money('coalesce(daily.net_revenue, 0)') }} as net_revenue,
        {{ money('coalesce(daily.cost, 0)') }} as cost,
        {{ money('coalesce(daily.margin, 0)') }} as margin,
        cast(coalesce(daily.returned_units, 0) as bigint) as returned_units,
        {{ money('coalesce(daily.refund_amount, 0)') }} as refund_amount,
        {{ money('coalesce(daily.returned_cost, 0)') }} as returned_cost,
        {{ money('coalesce(daily.net_revenue_after_refunds, 0)') }} as net_revenue_after_refunds,
        {{ money('coalesce(daily.margin_after_refunds, 0)') }} as margin_after_refunds

    from spine
    left join daily
        on spine.date_day = daily.revenue_date

),

windowed as (

    select
        *,
        count(*) over last_7_days as days_in_7d_window,
        avg(net_revenue) over last_7_days as net_revenue_7d_mean,
        count(*) over last_28_days as days_in_28d_window,
        avg(net_revenue) over last_28_days as net_revenue_28d_mean,
        lag(net_revenue, 1) over by_day as previous_day_net_revenue,
        lag(net_revenue, 7) over by_day as previous_week_net_revenue

    from zero_filled
    window
        by_day as (order by date_day),
        last_7_days as (order by date_day rows between 6 preceding and current row),
        last_28_days as (order by date_day rows between 27 preceding and current row)

),

final as (

    select
        current_day.date_day,
        current_day.orders,
        current_day.customers,
        current_day.units,
        current_day.gross_revenue,
        current_day.discount_amount,
        current_day.net_revenue,
        current_day.cost,
        current_day.margin,
        current_day.returned_units,
        current_day.refund_amount,
        current_day.returned_cost,
        current_day.net_revenue_after_refunds,
        current_day.margin_after_refunds,
        case
            when current_day.days_in_7d_window = 7 then {{ money('current_day.net_revenue_7d_mean') }}
        end as net_revenue_7d_moving_avg,
        case
            when current_day.days_in_28d_window = 28 then {{ money('current_day.net_revenue_28d_mean') }}
        end as net_revenue_28d_moving_avg,
        current_day.previous_day_net_revenue,
        case
            when current_day.previous_day_net_revenue != 0
                then cast(current_day.net_revenue - current_day.previous_day_net_revenue as double)
                / cast(current_day.previous_day_net_revenue as double)
        end as net_revenue_growth_vs_previous_day,
        current_day.previous_week_net_revenue,
        case
            when current_day.previous_week_net_revenue != 0
                then cast(current_day.net_revenue - current_day.previous_week_net_revenue as double)
                / cast(current_day.previous_week_net_revenue as double)
        end as net_revenue_growth_vs_previous_week,
        last_year.net_revenue as last_year_net_revenue,
        case
            when last_year.net_revenue != 0
                then cast(current_day.net_revenue - last_year.net_revenue as double)
                / cast(last_year.net_revenue as double)
        end as net_revenue_growth_vs_last_year

    from windowed as current_day
    left join zero_filled as last_year
        -- the same weekday 52 weeks earlier
        on last_year.date_day = cast(current_day.date_day - interval 364 day as date)

)

select * from final
