-- Indicators at year end counted by RAG (rules.md "Indicators"): Red, Amber, Green,
-- Data only and Not returned, each with its count (0 when none), for every fiscal year
-- with year-end rows. The year-end summary's RAG table and headline.

with indicators as (

    select * from {{ ref('rpt_year_end__indicators') }}

),

years as (

    select distinct fiscal_year from indicators

),

ratings as (

    select * from (values
        ('Red', 1), ('Amber', 2), ('Green', 3), ('Data only', 4), ('Not returned', 5)
    ) as r (rag, sort_order)

)

select
    y.fiscal_year::text as fiscal_year,
    r.rag::text as rag,
    count(i.indicator_id)::int as indicators,
    r.sort_order::int as sort_order
from years as y
cross join ratings as r
left join indicators as i on i.fiscal_year = y.fiscal_year and i.rag = r.rag
group by y.fiscal_year, r.rag, r.sort_order
