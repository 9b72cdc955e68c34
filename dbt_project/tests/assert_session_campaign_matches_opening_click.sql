{# Reported in Dagster as a check on fct_sessions. #}
{{ config(meta={'dagster': {'ref': {'name': 'fct_sessions'}}}) }}

-- A session's campaign_id is the campaign of the click that opened it, which attribution relies
-- on: a session with a campaign has a click touchpoint of that campaign, and a session opened by
-- a click has that click's campaign (null for an organic click). Returns the sessions that
-- disagree.

with

sessions as (

    select * from {{ ref('fct_sessions') }}

),

touchpoints as (

    select * from {{ ref('stg_bronze__touchpoints') }}

),

clicks as (

    select
        session_id,
        campaign_id

    from touchpoints
    where touchpoint_type = 'click'

),

final as (

    select
        sessions.session_id,
        sessions.campaign_id,
        clicks.session_id is not null as has_opening_click,
        clicks.campaign_id as click_campaign_id

    from sessions
    left join clicks
        on sessions.session_id = clicks.session_id
    where
        (sessions.campaign_id is not null and clicks.session_id is null)
        or (clicks.session_id is not null and sessions.campaign_id is distinct from clicks.campaign_id)

)

select * from final
