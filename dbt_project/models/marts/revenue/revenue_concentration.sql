-- How concentrated revenue is: the share of net revenue after refunds, over every day up to the
-- as-of date, that comes from the top 1%, 5% and 20% of customers and of products. Customers are
-- those who ordered at least once, products those sold at least once; the top N% is the
-- ceil(N% of them) with the most net revenue after refunds (ties by id).

with

revenue_lines as (

    select * from {{ ref('int_revenue_lines_unioned') }}

),

thresholds as (

    select
        entity_values.entity_type,
        percent_values.top_percent

    from (values ('customer'), ('product')) as entity_values (entity_type)
    cross join (values (1), (5), (20)) as percent_values (top_percent)

),

entity_lines as (

    select
        'customer' as entity_type,
        customer_id as entity_id,
        line_type,
        net_revenue_after_refunds

    from revenue_lines

    union all

    select
        'product' as entity_type,
        product_id as entity_id,
        line_type,
        net_revenue_after_refunds

    from revenue_lines

),

entities as (

    -- refunds reduce the revenue of the customer and product of the returned line
    select
        entity_type,
        entity_id,
        sum(net_revenue_after_refunds) as net_revenue_after_refunds

    from entity_lines
    group by entity_type, entity_id
    having count(case when line_type = 'sale' then 1 end) > 0

),

ranked as (

    select
        entity_type,
        entity_id,
        net_revenue_after_refunds,
        row_number() over (
            partition by entity_type
            order by net_revenue_after_refunds desc, entity_id asc
        ) as revenue_rank,
        count(*) over (partition by entity_type) as entity_count

    from entities

),

top_entities as (

    select
        thresholds.entity_type,
        thresholds.top_percent,
        count(ranked.entity_id) as top_entity_count,
        sum(ranked.net_revenue_after_refunds) as top_net_revenue_after_refunds

    from thresholds
    left join ranked
        on
            thresholds.entity_type = ranked.entity_type
            and ranked.revenue_rank <= ceil(ranked.entity_count * thresholds.top_percent / 100.0)
    group by thresholds.entity_type, thresholds.top_percent

),

totals as (

    select
        entity_type,
        count(*) as entity_count,
        sum(net_revenue_after_refunds) as total_net_revenue_after_refunds

    from entities
    group by entity_type

),

final as (

    select
        top_entities.entity_type || '-top-' || cast(top_entities.top_percent as varchar) as revenue_concentration_id,
        top_entities.entity_type,
        cast(top_entities.top_percent as integer) as top_percent,
        coalesce(totals.entity_count, 0) as entity_count,
        top_entities.top_entity_count,
        {{ money('coalesce(top_entities.top_net_revenue_after_refunds, 0)') }} as top_net_revenue_after_refunds,
        {{ money('coalesce(totals.total_net_revenue_after_refunds, 0)') }} as total_net_revenue_after_refunds,
        case
            when totals.total_net_revenue_after_refunds != 0
                then cast(top_entities.top_net_revenue_after_refunds as double)
                / cast(totals.total_net_revenue_after_refunds as double)
        end as share_of_net_revenue_after_refunds

    from top_entities
    left join totals
        on top_entities.entity_type = totals.entity_type

)

select * from final
