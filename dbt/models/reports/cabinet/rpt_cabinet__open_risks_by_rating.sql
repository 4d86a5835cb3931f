-- The open corporate risks of each quarter's register counted by rating (rules.md
-- "Risk": 1-4 Low, 5-9 Medium, 10-15 High, 16-25 Very high), Very high first, then the
-- 'All open risks' total line. Every rating has its line, 0 when no risk has it, for
-- every quarter with a register snapshot.

with snapshots as (

    select fiscal_year, quarter, snapshot_date
    from {{ ref('rpt_cabinet__risk_snapshots') }}

),

ratings as (

    select * from (values
        ('Very high', 1), ('High', 2), ('Medium', 3), ('Low', 4)
    ) as t (rating, sort_order)

),

open_risks as (

    select * from {{ ref('rpt_cabinet__open_risks') }}

),

lines as (

    select
        s.fiscal_year,
        s.quarter,
        s.snapshot_date,
        g.rating,
        false as is_total,
        count(r.risk_id)::integer as risk_count,
        g.sort_order
    from snapshots as s
    cross join ratings as g
    left join open_risks as r
        on r.fiscal_year = s.fiscal_year and r.quarter = s.quarter and r.rating = g.rating
    group by s.fiscal_year, s.quarter, s.snapshot_date, g.rating, g.sort_order

),

total as (

    -- every open risk, whatever its rating: the lines above add up to it (data test)
    select
        s.fiscal_year,
        s.quarter,
        s.snapshot_date,
        'All open risks'::text as rating,
        true as is_total,
        count(r.risk_id)::integer as risk_count,
        5 as sort_order
    from snapshots as s
    left join open_risks as r
        on r.fiscal_year = s.fiscal_year and r.quarter = s.quarter
    group by s.fiscal_year, s.quarter, s.snapshot_date

)

select * from lines
union all
select * from total
