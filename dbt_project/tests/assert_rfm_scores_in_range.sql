-- Every RFM score is an integer from 1 to 5, fm_score follows its formula and rfm_cell spells
-- the three scores. Returns the customers that break it.

with

customer_rfm as (

    select * from {{ ref('customer_rfm') }}

),

final as (

    select
        customer_id,
        r_score,
        f_score,
        m_score,
        fm_score,
        rfm_cell

    from customer_rfm
    where
        r_score is null or r_score not between 1 and 5
        or f_score is null or f_score not between 1 and 5
        or m_score is null or m_score not between 1 and 5
        or fm_score is null or fm_score not between 1 and 5
        or fm_score != floor((f_score + m_score + 1) / 2)
        or rfm_cell != cast(r_score as varchar) || cast(f_score as varchar) || cast(m_score as varchar)

)

select * from final
