{#-
    The one place the product lifecycle rule lives. For every product in the catalog, sold or not:
    its first and last sale, its net revenue (before refunds) in the trailing window of
    `product_lifecycle_window_days` days ending on the as-of date (the latest order date) and in
    the window of the same length just before, the growth between them and the stage it implies:
      unsold        no sale on or before the as-of date
      introduction  first sale inside the trailing window
      growth        trailing > previous x (1 + product_lifecycle_growth_threshold),
                    or revenue again after a previous window without any
      decline       trailing < previous x (1 + product_lifecycle_decline_threshold),
                    or no revenue in either window
      maturity      anything in between, both bounds included
    The stage compares exact decimals, so a growth of exactly the threshold is maturity; the
    growth column is a double for reading, not for the rule.
-#}

{%- set window_days = var('product_lifecycle_window_days') -%}

with

products as (

    select * from {{ ref('stg_bronze__products') }}

),

order_items as (

    select * from {{ ref('int_order_items_enriched') }}

),

as_of as (

    -- exactly one row
    select max(order_date) as as_of_date
    from order_items

),

windows as (

    select
        as_of_date,
        cast(as_of_date - interval ({{ window_days }}) day as date) as trailing_window_start_after,
        cast(as_of_date - interval ({{ 2 * window_days }}) day as date) as previous_window_start_after

    from as_of

),

product_sales as (

    select
        order_items.product_id,
        min(order_items.order_date) as first_sale_date,
        max(order_items.order_date) as last_sale_date,
        sum(order_items.net_revenue) filter (
            where order_items.order_date > windows.trailing_window_start_after
        ) as trailing_net_revenue,
        sum(order_items.net_revenue) filter (
            where
                order_items.order_date > windows.previous_window_start_after
                and order_items.order_date <= windows.trailing_window_start_after
        ) as previous_trailing_net_revenue

    from order_items
    cross join windows
    group by order_items.product_id

),

joined as (

    select
        products.product_id,
        windows.as_of_date,
        windows.trailing_window_start_after,
        product_sales.first_sale_date,
        product_sales.last_sale_date,
        {{ money('coalesce(product_sales.trailing_net_revenue, 0)') }} as trailing_net_revenue,
        {{ money('coalesce(product_sales.previous_trailing_net_revenue, 0)') }} as previous_trailing_net_revenue

    from products
    cross join windows
    left join product_sales
        on products.product_id = product_sales.product_id

),

final as (

    select
        product_id,
        as_of_date,
        cast({{ window_days }} as integer) as trailing_window_days,
        first_sale_date,
        last_sale_date,
        trailing_net_revenue,
        previous_trailing_net_revenue,
        case
            when previous_trailing_net_revenue != 0
                then cast(trailing_net_revenue as double) / cast(previous_trailing_net_revenue as double) - 1
        end as trailing_net_revenue_growth,
        case
            when first_sale_date is null then 'unsold'
            when first_sale_date > trailing_window_start_after then 'introduction'
            when previous_trailing_net_revenue = 0 and trailing_net_revenue = 0 then 'decline'
            when previous_trailing_net_revenue = 0 then 'growth'
            when
                trailing_net_revenue > previous_trailing_net_revenue
                * (1 + cast({{ var('product_lifecycle_growth_threshold') }} as decimal(9, 4)))
                then 'growth'
            when
                trailing_net_revenue < previous_trailing_net_revenue
                * (1 + cast({{ var('product_lifecycle_decline_threshold') }} as decimal(9, 4)))
                then 'decline'
            else 'maturity'
        end as lifecycle_stage

    from joined

)

select * from final
