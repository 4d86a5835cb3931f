-- What changed since last quarter (contracts/packs.md, Cabinet): the indicators whose
-- RAG for the quarter differs from their RAG for the previous quarter (quarter 1's
-- previous quarter is quarter 4 of the year before). Quarter rows only: a year row has
-- no previous quarter. An indicator with no row in the previous quarter has nothing to
-- compare with and is not listed. One row per line of the pack's table, in the order
-- the pack lists the indicators.

with indicators as (

    select * from {{ ref('rpt_cabinet__indicators') }}
    where period_type = 'quarter'

),

quarters as (

    select
        q.fiscal_year,
        q.quarter,
        p.fiscal_year as previous_fiscal_year,
        p.quarter as previous_quarter
    from {{ ref('int_calendar__fiscal_quarters') }} as q
    join {{ ref('int_calendar__fiscal_quarters') }} as p
        on p.quarter_end = q.quarter_start - 1

)

select
    c.fiscal_year,
    c.quarter,
    c.indicator_id,
    c.period_type,
    c.indicator_name,
    c.directorate_name,
    c.council_plan_priority,
    q.previous_fiscal_year,
    q.previous_quarter,
    p.rag as previous_rag,
    c.rag,
    c.is_provisional,
    c.sort_order
from indicators as c
join quarters as q
    on q.fiscal_year = c.fiscal_year and q.quarter = c.quarter
join indicators as p
    on p.fiscal_year = q.previous_fiscal_year
   and p.quarter = q.previous_quarter
   and p.indicator_id = c.indicator_id
where p.rag is distinct from c.rag
