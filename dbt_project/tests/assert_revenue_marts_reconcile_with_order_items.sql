{# Reported in Dagster as a check on revenue_trend_daily. #}
{{ config(meta={'dagster': {'ref': {'name': 'revenue_trend_daily'}}}) }}

-- Every revenue mart, summed over each of its slices (a dimension of the long-form marts, all
-- rows of the others) per period, equals what fct_order_items sold on those days minus the
-- returns dated on those days up to the as-of date (the latest order date): refunds, and the cost
-- of the returned units written back. To the cent, in every period from the first order date to
-- the as-of date. Computed from fct_order_items and stg_bronze__returns, not from the marts'
-- intermediate models. Returns the differing (mart, slice, period) rows.

{%- set slices = [
    ('revenue_daily', 'order_date', 'all', 'day'),
    ('revenue_trend_daily', 'date_day', 'all', 'day'),
] -%}
{%- set grains = [
    ('day', 'revenue_by_dimension_daily'),
    ('week', 'revenue_by_dimension_weekly'),
    ('month', 'revenue_by_dimension_monthly'),
] -%}
{%- for grain, mart in grains -%}
    {%- for dimension in ['total', 'category', 'region', 'country', 'channel', 'device', 'payment_method'] -%}
        {%- do slices.append((mart, 'period_start', dimension, grain)) -%}
    {%- endfor -%}
{%- endfor %}

with

order_items as (

    select * from {{ ref('fct_order_items') }}

),

returns as (

    select * from {{ ref('stg_bronze__returns') }}

),

as_of as (

    select
        min(order_date) as first_date,
        max(order_date) as as_of_date

    from order_items

),

sold as (

    select
        order_date as revenue_date,
        sum(quantity) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        0 as refund_amount,
        0 as returned_cost

    from order_items
    group by order_date

),

refunded as (

    select
        returns.return_date as revenue_date,
        0 as units,
        0 as gross_revenue,
        0 as discount_amount,
        0 as net_revenue,
        0 as cost,
        0 as margin,
        sum(returns.refund_amount) as refund_amount,
        sum({{ money('returns.quantity * order_items.unit_cost') }}) as returned_cost

    from returns
    inner join order_items
        on returns.order_item_id = order_items.order_item_id
    cross join as_of
    where returns.return_date <= as_of.as_of_date
    group by returns.return_date

),

expected_daily as (

    select
        revenue_date,
        sum(units) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        sum(refund_amount) as refund_amount,
        sum(returned_cost) as returned_cost,
        sum(net_revenue) - sum(refund_amount) as net_revenue_after_refunds,
        sum(margin) - sum(refund_amount) + sum(returned_cost) as margin_after_refunds

    from (
        select * from sold
        union all
        select * from refunded
    ) as activity
    group by revenue_date

),

calendar as (

    select cast(unnest(generate_series(first_date, as_of_date, interval 1 day)) as date) as date_day
    from as_of

),

slices as (

    {% for mart, date_column, dimension, grain in slices %}
    select
        '{{ mart }}' as mart,
        '{{ dimension }}' as dimension,
        '{{ grain }}' as period_grain
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

expected as (

    select
        slices.mart,
        slices.dimension,
        cast(date_trunc(slices.period_grain, calendar.date_day) as date) as period_start,
        coalesce(sum(expected_daily.units), 0) as units,
        coalesce(sum(expected_daily.gross_revenue), 0) as gross_revenue,
        coalesce(sum(expected_daily.discount_amount), 0) as discount_amount,
        coalesce(sum(expected_daily.net_revenue), 0) as net_revenue,
        coalesce(sum(expected_daily.cost), 0) as cost,
        coalesce(sum(expected_daily.margin), 0) as margin,
        coalesce(sum(expected_daily.refund_amount), 0) as refund_amount,
        coalesce(sum(expected_daily.returned_cost), 0) as returned_cost,
        coalesce(sum(expected_daily.net_revenue_after_refunds), 0) as net_revenue_after_refunds,
        coalesce(sum(expected_daily.margin_after_refunds), 0) as margin_after_refunds

    from slices
    cross join calendar
    left join expected_daily
        on calendar.date_day = expected_daily.revenue_date
    group by slices.mart, slices.dimension, cast(date_trunc(slices.period_grain, calendar.date_day) as date)

),

actual as (

    {% for mart, date_column, dimension, grain in slices %}
    select
        '{{ mart }}' as mart,
        '{{ dimension }}' as dimension,
        {{ date_column }} as period_start,
        sum(units) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        sum(refund_amount) as refund_amount,
        sum(returned_cost) as returned_cost,
        sum(net_revenue_after_refunds) as net_revenue_after_refunds,
        sum(margin_after_refunds) as margin_after_refunds

    from {{ ref(mart) }}
    {% if dimension != 'all' %}where dimension = '{{ dimension }}'{% endif %}
    group by {{ date_column }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        coalesce(expected.mart, actual.mart) as mart,
        coalesce(expected.dimension, actual.dimension) as dimension,
        coalesce(expected.period_start, actual.period_start) as period_start,
        expected.net_revenue as expected_net_revenue,
        actual.net_revenue as actual_net_revenue,
        expected.refund_amount as expected_refund_amount,
        actual.refund_amount as actual_refund_amount,
        expected.net_revenue_after_refunds as expected_net_revenue_after_refunds,
        actual.net_revenue_after_refunds as actual_net_revenue_after_refunds

    from expected
    full outer join actual
        on
            expected.mart = actual.mart
            and expected.dimension = actual.dimension
            and expected.period_start = actual.period_start
    where
        -- revenue_daily has no row for a day without activity; every other mart has every period
        (expected.mart is null or actual.mart is null)
        and not (
            coalesce(expected.mart, actual.mart) = 'revenue_daily'
            and expected.units = 0
            and expected.refund_amount = 0
        )
        or coalesce(expected.units, 0) != coalesce(actual.units, 0)
        or coalesce(expected.gross_revenue, 0) != coalesce(actual.gross_revenue, 0)
        or coalesce(expected.discount_amount, 0) != coalesce(actual.discount_amount, 0)
        or coalesce(expected.net_revenue, 0) != coalesce(actual.net_revenue, 0)
        or coalesce(expected.cost, 0) != coalesce(actual.cost, 0)
        or coalesce(expected.margin, 0) != coalesce(actual.margin, 0)
        or coalesce(expected.refund_amount, 0) != coalesce(actual.refund_amount, 0)
        or coalesce(expected.returned_cost, 0) != coalesce(actual.returned_cost, 0)
        or coalesce(expected.net_revenue_after_refunds, 0) != coalesce(actual.net_revenue_after_refunds, 0)
        or coalesce(expected.margin_after_refunds, 0) != coalesce(actual.margin_after_refunds, 0)

)

select * from final
