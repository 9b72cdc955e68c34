{#-
    Sessions per session date x device x channel: how many reached each funnel step, and the sums
    and median behind the session metrics. Shared by funnel_daily and session_metrics_daily so both
    marts have the same rows.

    The grid is every day from the first to the last session date crossed with every device x
    channel combination that occurs at least once; a cell without sessions is a row of zeros, so a
    day without traffic shows as zero rather than as a missing row.

    Funnel steps are monotonic by construction: a session's funnel_depth is its deepest step
    (0 = none, 1 = product view, 2 = add to cart, 3 = begin checkout, 4 = purchase) and a session
    counts at every step up to its depth, so a purchase with no begin_checkout event still counts
    as having checked out, and every step's count is at most the previous one's.
-#}

with

sessions as (

    select * from {{ ref('fct_sessions') }}

),

dates as (

    select * from {{ ref('dim_dates') }}

),

session_steps as (

    select
        session_date,
        device,
        channel,
        duration_seconds,
        event_count,
        page_view_count + product_view_count as page_count,
        is_bounce,
        case
            when has_purchase then 4
            when has_begin_checkout then 3
            when has_add_to_cart then 2
            when has_product_view then 1
            else 0
        end as funnel_depth

    from sessions

),

bounds as (

    select
        min(session_date) as first_date,
        max(session_date) as last_date

    from session_steps

),

segments as (

    select distinct
        device,
        channel

    from session_steps

),

grid as (

    select
        dates.date_day as session_date,
        segments.device,
        segments.channel

    from dates
    cross join bounds
    cross join segments
    where dates.date_day between bounds.first_date and bounds.last_date

),

aggregated as (

    select
        session_date,
        device,
        channel,
        count(*) as sessions,
        count(*) filter (where funnel_depth >= 1) as product_view_sessions,
        count(*) filter (where funnel_depth >= 2) as add_to_cart_sessions,
        count(*) filter (where funnel_depth >= 3) as begin_checkout_sessions,
        count(*) filter (where funnel_depth >= 4) as purchase_sessions,
        count(*) filter (where is_bounce) as bounced_sessions,
        sum(duration_seconds) as duration_seconds,
        median(duration_seconds) as median_duration_seconds,
        sum(event_count) as events,
        sum(page_count) as pages

    from session_steps
    group by session_date, device, channel

),

final as (

    select
        grid.session_date,
        grid.device,
        grid.channel,
        coalesce(aggregated.sessions, 0) as sessions,
        coalesce(aggregated.product_view_sessions, 0) as product_view_sessions,
        coalesce(aggregated.add_to_cart_sessions, 0) as add_to_cart_sessions,
        coalesce(aggregated.begin_checkout_sessions, 0) as begin_checkout_sessions,
        coalesce(aggregated.purchase_sessions, 0) as purchase_sessions,
        coalesce(aggregated.bounced_sessions, 0) as bounced_sessions,
        cast(coalesce(aggregated.duration_seconds, 0) as bigint) as duration_seconds,
        cast(coalesce(aggregated.median_duration_seconds, 0) as double) as median_duration_seconds,
        cast(coalesce(aggregated.events, 0) as bigint) as events,
        cast(coalesce(aggregated.pages, 0) as bigint) as pages

    from grid
    left join aggregated
        on
            grid.session_date = aggregated.session_date
            and grid.device = aggregated.device
            and grid.channel = aggregated.channel

)

select * from final
