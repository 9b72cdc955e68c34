-- Every product in the catalog, sold or not, as of the latest order date: its funnel (views, add
-- to carts, orders, view-to-purchase conversion), sales, cost, margin and returns, and its
-- lifecycle stage from int_products_lifecycle_classified. Products never sold or never viewed get
-- zeros, and every rate falls back to 0 when its denominator is 0.

with

products as (

    select * from {{ ref('dim_products') }}

),

lifecycle as (

    select * from {{ ref('int_products_lifecycle_classified') }}

),

revenue_lines as (

    select * from {{ ref('int_revenue_lines_unioned') }}

),

order_items as (

    select * from {{ ref('int_order_items_enriched') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

as_of as (

    -- exactly one row: the lifecycle's as-of date, the latest order date
    select distinct as_of_date
    from lifecycle

),

product_events as (

    select
        events.product_id,
        events.session_id,
        events.event_type

    from events
    cross join as_of
    where
        events.product_id is not null
        and events.event_date <= as_of.as_of_date

),

purchased_in_session as (

    select distinct
        product_id,
        session_id

    from order_items
    where session_id is not null

),

viewing_sessions as (

    select distinct
        product_events.product_id,
        product_events.session_id,
        purchased_in_session.session_id is not null as is_converted

    from product_events
    left join purchased_in_session
        on
            product_events.product_id = purchased_in_session.product_id
            and product_events.session_id = purchased_in_session.session_id
    where product_events.event_type = 'product_view'

),

funnel as (

    select
        product_id,
        count(*) filter (where event_type = 'product_view') as views,
        count(*) filter (where event_type = 'add_to_cart') as add_to_carts

    from product_events
    group by product_id

),

conversion as (

    select
        product_id,
        count(*) as viewing_sessions,
        count(*) filter (where is_converted) as converted_sessions

    from viewing_sessions
    group by product_id

),

sales as (

    select
        product_id,
        count(distinct order_id) filter (where line_type = 'sale') as purchases,
        count(distinct customer_id) filter (where line_type = 'sale') as buyers,
        sum(units) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        sum(returned_units) as returned_units,
        sum(refund_amount) as refund_amount,
        sum(returned_cost) as returned_cost,
        sum(net_revenue_after_refunds) as net_revenue_after_refunds,
        sum(margin_after_refunds) as margin_after_refunds

    from revenue_lines
    group by product_id

),

joined as (

    select
        products.product_id,
        products.product_name,
        products.category,
        products.subcategory,
        products.brand,
        products.is_active,
        lifecycle.as_of_date,
        coalesce(funnel.views, 0) as views,
        coalesce(conversion.viewing_sessions, 0) as viewing_sessions,
        coalesce(conversion.converted_sessions, 0) as converted_sessions,
        coalesce(funnel.add_to_carts, 0) as add_to_carts,
        coalesce(sales.purchases, 0) as purchases,
        coalesce(sales.buyers, 0) as buyers,
        cast(coalesce(sales.units, 0) as bigint) as units,
        {{ money('coalesce(sales.gross_revenue, 0)') }} as gross_revenue,
        {{ money('coalesce(sales.discount_amount, 0)') }} as discount_amount,
        {{ money('coalesce(sales.net_revenue, 0)') }} as net_revenue,
        {{ money('coalesce(sales.cost, 0)') }} as cost,
        {{ money('coalesce(sales.margin, 0)') }} as margin,
        cast(coalesce(sales.returned_units, 0) as bigint) as returned_units,
        {{ money('coalesce(sales.refund_amount, 0)') }} as refund_amount,
        {{ money('coalesce(sales.returned_cost, 0)') }} as returned_cost,
        {{ money('coalesce(sales.net_revenue_after_refunds, 0)') }} as net_revenue_after_refunds,
        {{ money('coalesce(sales.margin_after_refunds, 0)') }} as margin_after_refunds,
        lifecycle.first_sale_date,
        lifecycle.last_sale_date,
        lifecycle.trailing_window_days,
        lifecycle.trailing_net_revenue,
        lifecycle.previous_trailing_net_revenue,
        lifecycle.trailing_net_revenue_growth,
        lifecycle.lifecycle_stage

    from products
    left join lifecycle
        on products.product_id = lifecycle.product_id
    left join funnel
        on products.product_id = funnel.product_id
    left join conversion
        on products.product_id = conversion.product_id
    left join sales
        on products.product_id = sales.product_id

),

final as (

    select
        product_id,
        product_name,
        category,
        subcategory,
        brand,
        is_active,
        as_of_date,
        views,
        viewing_sessions,
        add_to_carts,
        purchases,
        buyers,
        case
            when viewing_sessions > 0 then cast(converted_sessions as double) / viewing_sessions
            else 0
        end as view_to_purchase_rate,
        units,
        gross_revenue,
        discount_amount,
        net_revenue,
        cost,
        margin,
        case
            when net_revenue != 0 then cast(margin as double) / cast(net_revenue as double)
            else 0
        end as margin_rate,
        returned_units,
        refund_amount,
        returned_cost,
        net_revenue_after_refunds,
        margin_after_refunds,
        case
            when units > 0 then cast(returned_units as double) / units
            else 0
        end as return_rate,
        first_sale_date,
        last_sale_date,
        trailing_window_days,
        trailing_net_revenue,
        previous_trailing_net_revenue,
        trailing_net_revenue_growth,
        lifecycle_stage

    from joined

)

select * from final
