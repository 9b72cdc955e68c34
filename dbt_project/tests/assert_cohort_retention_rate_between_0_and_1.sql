{# Reported in Dagster as a check on cohort_retention. #}
{{ config(meta={'dagster': {'ref': {'name': 'cohort_retention'}}}) }}

-- Retention is a share of the cohort: between 0 and 1, never null, and equal to
-- active_customers / cohort_size. Each cohort's grid has no gap: months 0 to the as-of month,
-- each once. Returns the rows (or cohorts) that break it.

with

cohort_retention as (

    select * from {{ ref('cohort_retention') }}

),

bad_rates as (

    select
        cohort_month,
        months_since_first_order,
        'retention_rate out of [0, 1] or not active_customers / cohort_size' as problem

    from cohort_retention
    where
        retention_rate is null
        or retention_rate < 0
        or retention_rate > 1
        or abs(retention_rate - cast(active_customers as double) / cohort_size) > 1e-12

),

grids as (

    select
        cohort_month,
        count(*) as month_rows,
        min(months_since_first_order) as first_offset,
        max(months_since_first_order) as last_offset,
        max(activity_month) as last_activity_month,
        max(as_of_date) as as_of_date

    from cohort_retention
    group by cohort_month

),

gappy_grids as (

    select
        cohort_month,
        null as months_since_first_order,
        'grid does not run from month 0 to the as-of month without gaps' as problem

    from grids
    where
        first_offset != 0
        or month_rows != last_offset + 1
        or last_activity_month != cast(date_trunc('month', as_of_date) as date)

),

final as (

    select * from bad_rates
    union all
    select * from gappy_grids

)

select * from final
