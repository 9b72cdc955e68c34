{# Reported in Dagster as a check on funnel_daily. #}
{{ config(meta={'dagster': {'ref': {'name': 'funnel_daily'}}}) }}

-- funnel_daily and session_metrics_daily hold exactly the sessions of fct_sessions: per day x
-- device x channel, the sessions, the sessions at each step (a session reached a step if it has
-- that step's flag or any later one), the bounces and the total duration, recomputed here from
-- fct_sessions; and the grid is complete, every day from the first to the last session date for
-- every device x channel seen, zeros included. Returns the differing or missing cells.

with

sessions as (

    select * from {{ ref('fct_sessions') }}

),

funnel as (

    select * from {{ ref('funnel_daily') }}

),

metrics as (

    select * from {{ ref('session_metrics_daily') }}

),

bounds as (

    select
        min(session_date) as first_date,
        max(session_date) as last_date

    from sessions

),

days as (

    select cast(unnest(generate_series(first_date, last_date, interval 1 day)) as date) as session_date
    from bounds

),

combinations as (

    select distinct
        device,
        channel

    from sessions

),

expected_cells as (

    select
        days.session_date,
        combinations.device,
        combinations.channel

    from days
    cross join combinations

),

observed as (

    select
        session_date,
        device,
        channel,
        count(*) as sessions,
        count(*) filter (
            where has_product_view or has_add_to_cart or has_begin_checkout or has_purchase
        ) as product_view_sessions,
        count(*) filter (where has_add_to_cart or has_begin_checkout or has_purchase) as add_to_cart_sessions,
        count(*) filter (where has_begin_checkout or has_purchase) as begin_checkout_sessions,
        count(*) filter (where has_purchase) as purchase_sessions,
        count(*) filter (where is_bounce) as bounced_sessions,
        sum(duration_seconds) as total_duration_seconds

    from sessions
    group by session_date, device, channel

),

expected as (

    select
        expected_cells.session_date,
        expected_cells.device,
        expected_cells.channel,
        coalesce(observed.sessions, 0) as sessions,
        coalesce(observed.product_view_sessions, 0) as product_view_sessions,
        coalesce(observed.add_to_cart_sessions, 0) as add_to_cart_sessions,
        coalesce(observed.begin_checkout_sessions, 0) as begin_checkout_sessions,
        coalesce(observed.purchase_sessions, 0) as purchase_sessions,
        coalesce(observed.bounced_sessions, 0) as bounced_sessions,
        coalesce(observed.total_duration_seconds, 0) as total_duration_seconds

    from expected_cells
    left join observed
        on
            expected_cells.session_date = observed.session_date
            and expected_cells.device = observed.device
            and expected_cells.channel = observed.channel

),

actual as (

    select
        funnel.session_date,
        funnel.device,
        funnel.channel,
        funnel.sessions,
        funnel.product_view_sessions,
        funnel.add_to_cart_sessions,
        funnel.begin_checkout_sessions,
        funnel.purchase_sessions,
        metrics.sessions as metrics_sessions,
        metrics.bounced_sessions,
        metrics.total_duration_seconds

    from funnel
    full outer join metrics
        on
            funnel.session_date = metrics.session_date
            and funnel.device = metrics.device
            and funnel.channel = metrics.channel

),

final as (

    select
        coalesce(expected.session_date, actual.session_date) as session_date,
        coalesce(expected.device, actual.device) as device,
        coalesce(expected.channel, actual.channel) as channel,
        expected.sessions as expected_sessions,
        actual.sessions as actual_sessions,
        actual.metrics_sessions,
        expected.purchase_sessions as expected_purchase_sessions,
        actual.purchase_sessions as actual_purchase_sessions

    from expected
    full outer join actual
        on
            expected.session_date = actual.session_date
            and expected.device = actual.device
            and expected.channel = actual.channel
    where
        expected.sessions is distinct from actual.sessions
        or expected.sessions is distinct from actual.metrics_sessions
        or expected.product_view_sessions is distinct from actual.product_view_sessions
        or expected.add_to_cart_sessions is distinct from actual.add_to_cart_sessions
        or expected.begin_checkout_sessions is distinct from actual.begin_checkout_sessions
        or expected.purchase_sessions is distinct from actual.purchase_sessions
        or expected.bounced_sessions is distinct from actual.bounced_sessions
        or expected.total_duration_seconds is distinct from actual.total_duration_seconds

)

select * from final
