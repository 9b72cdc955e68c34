{# Reported in Dagster as a check on funnel_daily. #}
{{ config(meta={'dagster': {'ref': {'name': 'funnel_daily'}}}) }}

-- Every rate of the journey and geography marts is a fraction: in [0, 1] and never null (a zero
-- denominator gives 0). The funnel's overall conversion is the product of its four step rates
-- wherever every step has sessions. Returns (mart, rate, key, value) of each breach.

{%- set rates = [
    ('funnel_daily', 'funnel_daily_id', 'product_view_rate'),
    ('funnel_daily', 'funnel_daily_id', 'view_to_cart_rate'),
    ('funnel_daily', 'funnel_daily_id', 'cart_to_checkout_rate'),
    ('funnel_daily', 'funnel_daily_id', 'checkout_to_purchase_rate'),
    ('funnel_daily', 'funnel_daily_id', 'session_conversion_rate'),
    ('session_metrics_daily', 'session_metrics_daily_id', 'bounce_rate'),
    ('geography_by_country', 'country_code', 'ordering_customer_rate'),
    ('geography_by_country', 'country_code', 'share_of_net_revenue'),
    ('geography_by_city', 'geography_by_city_id', 'ordering_customer_rate'),
    ('geography_by_city', 'geography_by_city_id', 'share_of_net_revenue'),
] %}

with

funnel as (

    select * from {{ ref('funnel_daily') }}

),

rates as (

    {% for mart, key, rate in rates %}
    select
        '{{ mart }}' as mart,
        '{{ rate }}' as rate,
        cast({{ key }} as varchar) as row_key,
        {{ rate }} as rate_value

    from {{ ref(mart) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

out_of_range as (

    select
        mart,
        rate,
        row_key,
        rate_value

    from rates
    where rate_value is null or rate_value < 0 or rate_value > 1

),

not_a_product as (

    select
        'funnel_daily' as mart,
        'session_conversion_rate' as rate,
        funnel_daily_id as row_key,
        session_conversion_rate as rate_value

    from funnel
    where
        begin_checkout_sessions > 0
        and abs(
            session_conversion_rate
            - product_view_rate * view_to_cart_rate * cart_to_checkout_rate * checkout_to_purchase_rate
        ) > 1e-12

),

final as (

    select * from out_of_range
    union all
    select * from not_a_product

)

select * from final
