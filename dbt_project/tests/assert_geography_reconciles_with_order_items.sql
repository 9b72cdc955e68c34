{# Reported in Dagster as a check on geography_by_country. #}
{{ config(meta={'dagster': {'ref': {'name': 'geography_by_country'}}}) }}

-- The geography marts hold the whole shop, each customer once:
-- * geography_by_country and geography_by_city, summed over all rows, equal what fct_order_items
--   sold (orders, units, net revenue, cost, margin) and the returns dated up to the as-of date
--   (the latest order date) refunded, to the cent; customers equal dim_customers and ordering
--   customers the distinct customers of fct_orders; the shares of net revenue add up to 1;
-- * each country row equals the sum of its cities;
-- * summed per region, net revenue and refunds equal the `region` dimension of
--   revenue_by_dimension_daily (both place a sale at the customer's residence).
-- Computed from fct_order_items, fct_orders, dim_customers and stg_bronze__returns, not from the
-- marts' intermediate models. Returns one row per breach.

with

order_items as (

    select * from {{ ref('fct_order_items') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

returns as (

    select * from {{ ref('stg_bronze__returns') }}

),

by_country as (

    select * from {{ ref('geography_by_country') }}

),

by_city as (

    select * from {{ ref('geography_by_city') }}

),

revenue_by_dimension as (

    select * from {{ ref('revenue_by_dimension_daily') }}

),

as_of as (

    select max(order_date) as as_of_date
    from order_items

),

refunded as (

    select
        sum(returns.refund_amount) as refund_amount,
        sum({{ money('returns.quantity * order_items.unit_cost') }}) as returned_cost

    from returns
    inner join order_items
        on returns.order_item_id = order_items.order_item_id
    cross join as_of
    where returns.return_date <= as_of.as_of_date

),

customer_counts as (

    select count(*) as customers
    from customers

),

order_counts as (

    select
        count(*) as orders,
        count(distinct customer_id) as ordering_customers

    from orders

),

sold as (

    select
        coalesce(sum(quantity), 0) as units,
        coalesce(sum(net_revenue), 0) as net_revenue,
        coalesce(sum(cost), 0) as cost,
        coalesce(sum(margin), 0) as margin

    from order_items

),

expected_totals as (

    select
        customer_counts.customers,
        order_counts.ordering_customers,
        order_counts.orders,
        sold.units,
        sold.net_revenue,
        sold.cost,
        sold.margin,
        coalesce(refunded.refund_amount, 0) as refund_amount,
        coalesce(refunded.returned_cost, 0) as returned_cost,
        1.0 as share_of_net_revenue

    from customer_counts
    cross join order_counts
    cross join sold
    cross join refunded

),

actual_totals as (

    select
        'geography_by_country' as mart,
        sum(customers) as customers,
        sum(ordering_customers) as ordering_customers,
        sum(orders) as orders,
        sum(units) as units,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        sum(refund_amount) as refund_amount,
        sum(returned_cost) as returned_cost,
        sum(share_of_net_revenue) as share_of_net_revenue

    from by_country

    union all

    select
        'geography_by_city' as mart,
        sum(customers) as customers,
        sum(ordering_customers) as ordering_customers,
        sum(orders) as orders,
        sum(units) as units,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        sum(refund_amount) as refund_amount,
        sum(returned_cost) as returned_cost,
        sum(share_of_net_revenue) as share_of_net_revenue

    from by_city

),

total_breaches as (

    select
        actual_totals.mart,
        'total' as slice,
        'all' as slice_value

    from actual_totals
    cross join expected_totals
    where
        actual_totals.customers != expected_totals.customers
        or actual_totals.ordering_customers != expected_totals.ordering_customers
        or actual_totals.orders != expected_totals.orders
        or actual_totals.units != expected_totals.units
        or actual_totals.net_revenue != expected_totals.net_revenue
        or actual_totals.cost != expected_totals.cost
        or actual_totals.margin != expected_totals.margin
        or actual_totals.refund_amount != expected_totals.refund_amount
        or actual_totals.returned_cost != expected_totals.returned_cost
        or (
            expected_totals.net_revenue != 0
            and abs(actual_totals.share_of_net_revenue - expected_totals.share_of_net_revenue) > 1e-9
        )

),

cities_per_country as (

    select
        country_code,
        count(*) as cities,
        sum(customers) as customers,
        sum(ordering_customers) as ordering_customers,
        sum(orders) as orders,
        sum(net_revenue) as net_revenue,
        sum(margin) as margin,
        sum(refund_amount) as refund_amount,
        sum(margin_after_refunds) as margin_after_refunds

    from by_city
    group by country_code

),

country_breaches as (

    select
        'geography_by_country' as mart,
        'country' as slice,
        coalesce(by_country.country_code, cities_per_country.country_code) as slice_value

    from by_country
    full outer join cities_per_country
        on by_country.country_code = cities_per_country.country_code
    where
        by_country.country_code is null
        or cities_per_country.country_code is null
        or by_country.cities != cities_per_country.cities
        or by_country.customers != cities_per_country.customers
        or by_country.ordering_customers != cities_per_country.ordering_customers
        or by_country.orders != cities_per_country.orders
        or by_country.net_revenue != cities_per_country.net_revenue
        or by_country.margin != cities_per_country.margin
        or by_country.refund_amount != cities_per_country.refund_amount
        or by_country.margin_after_refunds != cities_per_country.margin_after_refunds

),

city_regions as (

    select
        region,
        sum(net_revenue) as net_revenue,
        sum(refund_amount) as refund_amount

    from by_city
    group by region

),

dimension_regions as (

    select
        dimension_value as region,
        sum(net_revenue) as net_revenue,
        sum(refund_amount) as refund_amount

    from revenue_by_dimension
    where dimension = 'region'
    group by dimension_value

),

region_breaches as (

    select
        'geography_by_city' as mart,
        'region' as slice,
        coalesce(city_regions.region, dimension_regions.region) as slice_value

    from city_regions
    full outer join dimension_regions
        on city_regions.region = dimension_regions.region
    where
        coalesce(city_regions.net_revenue, 0) != coalesce(dimension_regions.net_revenue, 0)
        or coalesce(city_regions.refund_amount, 0) != coalesce(dimension_regions.refund_amount, 0)

),

final as (

    select * from total_breaches
    union all
    select * from country_breaches
    union all
    select * from region_breaches

)

select * from final
