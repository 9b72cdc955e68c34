{#-
    Attributed orders, new customers and revenue per day x channel x campaign under each
    attribution model, beside the campaign's spend, with CAC and ROAS. Credits count on their
    order's date, spend on its spend date. Every day from the first to the last order or spend
    day is present for every channel x campaign ever seen, zero-filled, so a day with spend and no
    order shows zero revenue. Touches of no campaign (organic search, referral) and orders without
    a touch (channel 'direct') carry campaign_id 'no_campaign', so the key is never null.
-#}

with

credits as (

    select * from {{ ref('attribution_credits') }}

),

campaign_spend as (

    select * from {{ ref('stg_bronze__campaign_spend') }}

),

dates as (

    select * from {{ ref('dim_dates') }}

),

credited as (

    select
        order_date as date_day,
        channel,
        coalesce(campaign_id, 'no_campaign') as campaign_id,
        {%- for model in attribution_models() %}
        sum({{ model }}_weight) as {{ model }}_orders,
        sum(case when is_first_order then {{ model }}_weight else 0 end) as {{ model }}_new_customers,
        sum({{ model }}_revenue) as {{ model }}_revenue{{ ',' if not loop.last }}
        {%- endfor %}

    from credits
    group by order_date, channel, coalesce(campaign_id, 'no_campaign')

),

spent as (

    select
        spend_date as date_day,
        channel,
        campaign_id,
        sum(spend) as spend

    from campaign_spend
    group by spend_date, channel, campaign_id

),

campaign_names as (

    -- a campaign keeps its name; the latest spend row decides if it ever changed
    select
        campaign_id,
        arg_max(campaign_name, spend_date) as campaign_name

    from campaign_spend
    group by campaign_id

),

bounds as (

    select
        least(
            (select min(date_day) from credited),
            (select min(date_day) from spent)
        ) as first_date,
        greatest(
            (select max(date_day) from credited),
            (select max(date_day) from spent)
        ) as last_date

),

channel_campaigns as (

    select
        channel,
        campaign_id
    from credited
    union
    select
        channel,
        campaign_id
    from spent

),

spine as (

    select
        dates.date_day,
        channel_campaigns.channel,
        channel_campaigns.campaign_id

    from dates
    cross join bounds
    cross join channel_campaigns
    where dates.date_day between bounds.first_date and bounds.last_date

),

zero_filled as (

    select
        spine.date_day,
        spine.channel,
        spine.campaign_id,
        {{ money('coalesce(spent.spend, 0)') }} as spend,
        {%- for model in attribution_models() %}
        coalesce(credited.{{ model }}_orders, 0) as {{ model }}_orders,
        coalesce(credited.{{ model }}_new_customers, 0) as {{ model }}_new_customers,
        {{ money('coalesce(credited.' ~ model ~ '_revenue, 0)') }} as {{ model }}_revenue{{ ',' if not loop.last }}
        {%- endfor %}

    from spine
    left join credited
        on
            spine.date_day = credited.date_day
            and spine.channel = credited.channel
            and spine.campaign_id = credited.campaign_id
    left join spent
        on
            spine.date_day = spent.date_day
            and spine.channel = spent.channel
            and spine.campaign_id = spent.campaign_id

),

final as (

    select
        {{ surrogate_key(['zero_filled.date_day', 'zero_filled.channel', 'zero_filled.campaign_id']) }}
            as attribution_channel_daily_id,
        zero_filled.date_day,
        zero_filled.channel,
        zero_filled.campaign_id,
        campaign_names.campaign_name,
        zero_filled.spend,
        {%- for model in attribution_models() %}
        cast(zero_filled.{{ model }}_orders as double) as {{ model }}_orders,
        cast(zero_filled.{{ model }}_new_customers as double) as {{ model }}_new_customers,
        zero_filled.{{ model }}_revenue,
        case
            when zero_filled.{{ model }}_new_customers > 0
                then {{ money('cast(zero_filled.spend as double) / zero_filled.' ~ model ~ '_new_customers') }}
        end as {{ model }}_cac,
        case
            when zero_filled.spend > 0
                then cast(zero_filled.{{ model }}_revenue as double) / cast(zero_filled.spend as double)
        end as {{ model }}_roas{{ ',' if not loop.last }}
        {%- endfor %}

    from zero_filled
    left join campaign_names
        on zero_filled.campaign_id = campaign_names.campaign_id

)

select * from final
