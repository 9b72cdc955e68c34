-- Customers and revenue per country of residence: the cities of geography_by_city added up (a
-- customer lives in one city, so even the distinct counts add up), with what each customer is
-- worth there and the country's share of the shop's net revenue; a ratio over nothing is 0.

with

cities as (

    select * from {{ ref('int_cities_revenue_aggregated') }}

),

countries as (

    select
        country_code,
        count(*) as cities,
        max(as_of_date) as as_of_date,
        sum(customers) as customers,
        sum(ordering_customers) as ordering_customers,
        sum(orders) as orders,
        sum(orders_placed_abroad) as orders_placed_abroad,
        sum(units) as units,
        sum(net_revenue) as net_revenue,
        sum(cost) as cost,
        sum(margin) as margin,
        sum(returned_units) as returned_units,
        sum(refund_amount) as refund_amount,
        sum(returned_cost) as returned_cost,
        sum(net_revenue_after_refunds) as net_revenue_after_refunds,
        sum(margin_after_refunds) as margin_after_refunds

    from cities
    group by country_code

),

final as (

    select
        country_code,
        cities,
        as_of_date,
        cast(customers as bigint) as customers,
        cast(ordering_customers as bigint) as ordering_customers,
        cast(orders as bigint) as orders,
        cast(orders_placed_abroad as bigint) as orders_placed_abroad,
        cast(units as bigint) as units,
        {{ money('net_revenue') }} as net_revenue,
        {{ money('cost') }} as cost,
        {{ money('margin') }} as margin,
        cast(returned_units as bigint) as returned_units,
        {{ money('refund_amount') }} as refund_amount,
        {{ money('returned_cost') }} as returned_cost,
        {{ money('net_revenue_after_refunds') }} as net_revenue_after_refunds,
        {{ money('margin_after_refunds') }} as margin_after_refunds,
        {{ ratio_or_zero('ordering_customers', 'customers') }} as ordering_customer_rate,
        {{ money(ratio_or_zero('net_revenue', 'customers')) }} as net_revenue_per_customer,
        {{ money(ratio_or_zero('net_revenue', 'ordering_customers')) }} as net_revenue_per_ordering_customer,
        {{ ratio_or_zero('net_revenue', 'sum(net_revenue) over ()') }} as share_of_net_revenue

    from countries

)

select * from final
