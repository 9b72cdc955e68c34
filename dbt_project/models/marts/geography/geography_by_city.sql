-- Customers and revenue per city of residence, with what each customer is worth there and the
-- city's share of the shop's net revenue. Where customers live decides, not where an order was
-- placed from (see int_cities_revenue_aggregated); a ratio over nothing is 0.

with

cities as (

    select * from {{ ref('int_cities_revenue_aggregated') }}

),

final as (

    select
        {{ surrogate_key(['country_code', 'region', 'city']) }} as geography_by_city_id,
        country_code,
        region,
        city,
        latitude,
        longitude,
        as_of_date,
        customers,
        ordering_customers,
        orders,
        orders_placed_abroad,
        units,
        net_revenue,
        cost,
        margin,
        returned_units,
        refund_amount,
        returned_cost,
        net_revenue_after_refunds,
        margin_after_refunds,
        {{ ratio_or_zero('ordering_customers', 'customers') }} as ordering_customer_rate,
        {{ money(ratio_or_zero('net_revenue', 'customers')) }} as net_revenue_per_customer,
        {{ money(ratio_or_zero('net_revenue', 'ordering_customers')) }} as net_revenue_per_ordering_customer,
        {{ ratio_or_zero('net_revenue', 'sum(net_revenue) over ()') }} as share_of_net_revenue

    from cities

)

select * from final
