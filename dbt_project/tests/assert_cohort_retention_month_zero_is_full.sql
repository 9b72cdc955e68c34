{# Reported in Dagster as a check on cohort_retention. #}
{{ config(meta={'dagster': {'ref': {'name': 'cohort_retention'}}}) }}

-- In its own month every customer of a cohort has ordered (that is what puts them in it), so
-- month 0 has active_customers = cohort_size > 0 and retention_rate = 1, and every cohort has a
-- month 0. Returns the cohorts that break it.

with

cohort_retention as (

    select * from {{ ref('cohort_retention') }}

),

month_zero as (

    select
        cohort_month,
        count(*) filter (where months_since_first_order = 0) as month_zero_rows,
        max(cohort_size) filter (where months_since_first_order = 0) as cohort_size,
        max(active_customers) filter (where months_since_first_order = 0) as active_customers,
        max(retention_rate) filter (where months_since_first_order = 0) as retention_rate

    from cohort_retention
    group by cohort_month

),

final as (

    select *
    from month_zero
    where
        month_zero_rows != 1
        or cohort_size is null
        or cohort_size < 1
        or active_customers != cohort_size
        or retention_rate != 1.0

)

select * from final
