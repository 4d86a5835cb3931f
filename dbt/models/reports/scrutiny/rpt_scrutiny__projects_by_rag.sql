-- Projects counted by overall RAG for each quarter's snapshot (rules.md "Corporate
-- projects and capital"): the four ratings, worst first, each with its count (0 when
-- none), for every quarter that has a snapshot. The pack's line "n Red, n Amber/Red,
-- n Amber/Green, n Green".

with projects as (

    select * from {{ ref('rpt_scrutiny__projects') }}

),

quarters as (

    select distinct fiscal_year, quarter, as_at_date from projects

),

ratings as (

    select * from (values
        ('Red', 1), ('Amber/Red', 2), ('Amber/Green', 3), ('Green', 4)
    ) as r (overall_rag, sort_order)

)

select
    q.fiscal_year::text as fiscal_year,
    q.quarter::int as quarter,
    q.as_at_date::date as as_at_date,
    r.overall_rag::text as overall_rag,
    count(p.project_id)::int as projects,
    r.sort_order::int as sort_order
from quarters as q
cross join ratings as r
left join projects as p
    on p.fiscal_year = q.fiscal_year and p.quarter = q.quarter
   and p.overall_rag = r.overall_rag
group by q.fiscal_year, q.quarter, q.as_at_date, r.overall_rag, r.sort_order
