-- Session engagement per day x device x channel: bounces, duration, events and pages per session.
-- Same rows as funnel_daily (every day x every device x channel combination seen, zero-filled);
-- a per-session figure over no sessions is 0.

with

sessions_daily as (

    select * from {{ ref('int_sessions_daily_aggregated') }}

),

final as (

    select
        {{ surrogate_key(['session_date', 'device', 'channel']) }} as session_metrics_daily_id,
        session_date,
        device,
        channel,
        sessions,
        bounced_sessions,
        {{ ratio_or_zero('bounced_sessions', 'sessions') }} as bounce_rate,
        duration_seconds as total_duration_seconds,
        {{ ratio_or_zero('duration_seconds', 'sessions') }} as avg_session_duration_seconds,
        median_duration_seconds as median_session_duration_seconds,
        events,
        {{ ratio_or_zero('events', 'sessions') }} as events_per_session,
        pages,
        {{ ratio_or_zero('pages', 'sessions') }} as pages_per_session

    from sessions_daily

)

select * from final
