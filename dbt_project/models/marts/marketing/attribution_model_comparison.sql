{#-
    The five attribution models side by side per channel, over every loaded day: attributed
    orders, new customers and revenue, the channel's share of all attributed revenue, its spend,
    CAC and ROAS, and how much revenue the model moves to or from the channel compared with
    last-touch. Totals of attribution_channel_daily, one row per channel x model.
-#}

with

channel_daily as (

    select * from {{ ref('attribution_channel_daily') }}

),

unpivoted as (

    {%- for model in attribution_models() %}
    select
        channel,
        '{{ model }}' as attribution_model,
        spend,
        {{ model }}_orders as attributed_orders,
        {{ model }}_new_customers as new_customers,
        {{ model }}_revenue as attributed_revenue,
        last_touch_revenue

    from channel_daily
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

per_channel as (

    select
        channel,
        attribution_model,
        {{ money('sum(spend)') }} as spend,
        sum(attributed_orders) as attributed_orders,
        sum(new_customers) as new_customers,
        {{ money('sum(attributed_revenue)') }} as attributed_revenue,
        {{ money('sum(last_touch_revenue)') }} as last_touch_revenue

    from unpivoted
    group by channel, attribution_model

),

final as (

    select
        {{ surrogate_key(['channel', 'attribution_model']) }} as attribution_model_comparison_id,
        channel,
        attribution_model,
        attributed_orders,
        new_customers,
        attributed_revenue,
        case
            when sum(attributed_revenue) over by_model > 0
                then cast(attributed_revenue as double) / cast(sum(attributed_revenue) over by_model as double)
        end as share_of_attributed_revenue,
        {{ money('attributed_revenue - last_touch_revenue') }} as revenue_change_vs_last_touch,
        spend,
        case
            when new_customers > 0 then {{ money('cast(spend as double) / new_customers') }}
        end as cac,
        case
            when spend > 0 then cast(attributed_revenue as double) / cast(spend as double)
        end as roas

    from per_channel
    window by_model as (partition by attribution_model)

)

select * from final
