{#-
    Recency, frequency and monetary value of every customer with at least one order, as of
    var('rfm_as_of_date') (null = the latest order date in the data), scored 1-5 by quintile.
    Quintiles are ntile(5) over a total order, so ties in a measure are broken by customer_id
    and every score holds a fifth of the customers (give or take one).
-#}
{%- set as_of_date = var('rfm_as_of_date', none) -%}

with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

as_of as (

    -- exactly one row
    select
        {% if as_of_date -%}
        cast('{{ as_of_date }}' as date) as as_of_date
        {%- else -%}
        (select max(order_date) from orders) as as_of_date
        {%- endif %}

),

customer_orders as (

    select
        orders.customer_id,
        as_of.as_of_date,
        max(orders.order_date) as last_order_date,
        count(*) as frequency,
        {{ money('sum(orders.net_revenue)') }} as monetary

    from orders
    cross join as_of
    where
        orders.customer_id is not null
        and orders.order_date <= as_of.as_of_date
    group by orders.customer_id, as_of.as_of_date

),

measured as (

    select
        customer_id,
        as_of_date,
        last_order_date,
        date_diff('day', last_order_date, as_of_date) as recency_days,
        frequency,
        monetary

    from customer_orders

),

final as (

    select
        customer_id,
        as_of_date,
        last_order_date,
        recency_days,
        frequency,
        monetary,
        -- most recent = 5: the longest recency lands in the first quintile
        ntile(5) over (order by recency_days desc, customer_id asc) as r_score,
        ntile(5) over (order by frequency asc, customer_id asc) as f_score,
        ntile(5) over (order by monetary asc, customer_id asc) as m_score

    from measured

)

select * from final
