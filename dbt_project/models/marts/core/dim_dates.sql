with

customers as (

    select * from {{ ref('stg_bronze__customers') }}

),

sessions as (

    select * from {{ ref('stg_bronze__sessions') }}

),

orders as (

    select * from {{ ref('stg_bronze__orders') }}

),

bounds as (

    select
        least(
            (select min(signup_date) from customers),
            (select min(session_date) from sessions),
            (select min(order_date) from orders)
        ) as first_date,
        greatest(
            (select max(signup_date) from customers),
            (select max(session_date) from sessions),
            (select max(order_date) from orders)
        ) as last_date

),

spine as (

    select cast(unnest(generate_series(first_date, last_date, interval 1 day)) as date) as date_day
    from bounds
    where first_date is not null

),

final as (

    select
        date_day,
        cast(year(date_day) as integer) as year,
        cast(quarter(date_day) as integer) as quarter,
        cast(month(date_day) as integer) as month,
        monthname(date_day) as month_name,
        cast(date_trunc('month', date_day) as date) as month_start_date,
        cast(date_trunc('week', date_day) as date) as week_start_date,
        cast(isoyear(date_day) as integer) as iso_year,
        cast(weekofyear(date_day) as integer) as iso_week,
        cast(dayofmonth(date_day) as integer) as day_of_month,
        cast(isodow(date_day) as integer) as day_of_week,
        dayname(date_day) as day_name,
        isodow(date_day) in (6, 7) as is_weekend

    from spine

)

select * from final
