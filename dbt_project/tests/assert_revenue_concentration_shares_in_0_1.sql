{# Reported in Dagster as a check on revenue_concentration. #}
{{ config(meta={'dagster': {'ref': {'name': 'revenue_concentration'}}}) }}

-- A concentration share is a fraction: in [0, 1], null only when there is no revenue at all, at
-- least the top entities' share of the population (the top k of n hold at least k/n of the
-- total), and growing with the top percent. Returns the rows that break it.

with

concentration as (

    select * from {{ ref('revenue_concentration') }}

),

with_smaller as (

    select
        revenue_concentration_id,
        entity_type,
        top_percent,
        entity_count,
        top_entity_count,
        total_net_revenue_after_refunds,
        share_of_net_revenue_after_refunds,
        lag(share_of_net_revenue_after_refunds) over (
            partition by entity_type
            order by top_percent
        ) as smaller_top_share

    from concentration

),

final as (

    select *
    from with_smaller
    where
        (share_of_net_revenue_after_refunds is null and total_net_revenue_after_refunds != 0)
        or share_of_net_revenue_after_refunds < 0
        or share_of_net_revenue_after_refunds > 1
        or share_of_net_revenue_after_refunds
        < cast(top_entity_count as double) / nullif(entity_count, 0) - 1e-9
        or share_of_net_revenue_after_refunds < smaller_top_share

)

select * from final
