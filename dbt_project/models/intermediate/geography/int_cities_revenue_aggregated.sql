{#-
    Customers and revenue per city of residence (country x region x city), from every day up to
    the as-of date, the latest order date. A customer's orders and refunds belong to where the
    customer lives (stg_bronze__customers), not to where an order was placed from: the city, its
    coordinates and the region exist only for the residence, and the `region` dimension of the
    revenue_by_dimension_* marts is the residence too. Sales and refunds come from
    int_revenue_lines_unioned, so they follow the revenue marts' rules (refunds returned by the
    as-of date, the cost of returned units written back). Every city with a resident or an order
    is present; lines of a customer with no known residence land in 'unknown'.
-#}

with

customers as (

    select * from {{ ref('stg_bronze__customers') }}

),

revenue_lines as (

    select * from {{ ref('int_revenue_lines_unioned') }}

),

as_of as (

    select max(revenue_date) filter (where line_type = 'sale') as as_of_date
    from revenue_lines

),

residents as (

    select
        coalesce(country_code, 'unknown') as country_code,
        coalesce(region, 'unknown') as region,
        coalesce(city, 'unknown') as city,
        count(*) as customers,
        round(avg(latitude), 6) as latitude,
        round(avg(longitude), 6) as longitude

    from customers
    group by all

),

located_lines as (

    select
        coalesce(customers.country_code, 'unknown') as country_code,
        coalesce(customers.region, 'unknown') as region,
        coalesce(customers.city, 'unknown') as city,
        revenue_lines.line_type,
        revenue_lines.order_id,
        revenue_lines.customer_id,
        coalesce(revenue_lines.country_code != customers.country_code, false) as is_placed_abroad,
        revenue_lines.units,
        revenue_lines.net_revenue,
        revenue_lines.cost,
        revenue_lines.margin,
        revenue_lines.returned_units,
        revenue_lines.refund_amount,
        revenue_lines.returned_cost,
        revenue_lines.net_revenue_after_refunds,
        revenue_lines.margin_after_refunds

    from revenue_lines
    left join customers
        on revenue_lines.customer_id = customers.customer_id

),

city_revenue as (

    select
        country_code,
        region,
        city,
        count(distinct customer_id) filter (where line_type = 'sale') as ordering_customers,
        count(distinct order_id) filter (where line_type = 'sale') as orders,
        count(distinct order_id) filter (where line_type = 'sale' and is_placed_abroad) as orders_placed_abroad,
        sum(units) as units,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        sum(returned_units) as returned_units,
        sum(refund_amount) as refund_amount,
        sum(returned_cost) as returned_cost,
        sum(net_revenue_after_refunds) as net_revenue_after_refunds,
        sum(margin_after_refunds) as margin_after_refunds

    from located_lines
    group by country_code, region, city

),

final as (

    select
        coalesce(residents.country_code, city_revenue.country_code) as country_code,
        coalesce(residents.region, city_revenue.region) as region,
        coalesce(residents.city, city_revenue.city) as city,
        residents.latitude,
        residents.longitude,
        as_of.as_of_date,
        coalesce(residents.customers, 0) as customers,
        coalesce(city_revenue.ordering_customers, 0) as ordering_customers,
        coalesce(city_revenue.orders, 0) as orders,
        coalesce(city_revenue.orders_placed_abroad, 0) as orders_placed_abroad,
        cast(coalesce(city_revenue.units, 0) as bigint) as units,
        {{ money('coalesce(city_revenue.net_revenue, 0)') }} as net_revenue,
        {{ money('coalesce(city_revenue.cost, 0)') }} as cost,
        {{ money('coalesce(city_revenue.margin, 0)') }} as margin,
        cast(coalesce(city_revenue.returned_units, 0) as bigint) as returned_units,
        {{ money('coalesce(city_revenue.refund_amount, 0)') }} as refund_amount,
        {{ money('coalesce(city_revenue.returned_cost, 0)') }} as returned_cost,
        {{ money('coalesce(city_revenue.net_revenue_after_refunds, 0)') }} as net_revenue_after_refunds,
        {{ money('coalesce(city_revenue.margin_after_refunds, 0)') }} as margin_after_refunds

    from residents
    full outer join city_revenue
        on
            residents.country_code = city_revenue.country_code
            and residents.region = city_revenue.region
            and residents.city = city_revenue.city
    cross join as_of

)

select * from final
