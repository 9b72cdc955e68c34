-- The seed rfm_segment_map names each of the 25 (r_score, fm_score) cells exactly once, so every
-- scored customer gets a segment. Returns the cells that are missing or named more than once.

with

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

cells as (

    select
        r.r_score,
        fm.fm_score

    from range(1, 6) as r (r_score)
    cross join range(1, 6) as fm (fm_score)

),

final as (

    select
        cells.r_score,
        cells.fm_score,
        count(segment_map.segment) as segments

    from cells
    left join segment_map
        on
            cells.r_score = segment_map.r_score
            and cells.fm_score = segment_map.fm_score
    group by cells.r_score, cells.fm_score
    having count(segment_map.segment) != 1

)

select * from final
