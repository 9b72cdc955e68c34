with

scored_customers as (

    select * from {{ ref('int_customers_rfm_scored') }}

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

combined as (

    select
        customer_id,
        as_of_date,
        last_order_date,
        recency_days,
        frequency,
        monetary,
        r_score,
        f_score,
        m_score,
        -- frequency and monetary move together, so the segment grid uses their rounded-up mean
        cast(floor((f_score + m_score + 1) / 2) as integer) as fm_score,
        cast(r_score as varchar) || cast(f_score as varchar) || cast(m_score as varchar) as rfm_cell

    from scored_customers

),

final as (

    select
        combined.customer_id,
        combined.as_of_date,
        combined.last_order_date,
        combined.recency_days,
        combined.frequency,
        combined.monetary,
        combined.r_score,
        combined.f_score,
        combined.m_score,
        combined.fm_score,
        combined.rfm_cell,
        segment_map.segment,
        segment_map.description as segment_description

    from combined
    left join segment_map
        on
            combined.r_score = segment_map.r_score
            and combined.fm_score = segment_map.fm_score

)

select * from final
