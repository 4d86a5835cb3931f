-- The assurance opinions in final reports on the quarter's fiscal year's audit plan
-- (rules.md "Internal audit": opinions, best to worst, substantial, reasonable, limited,
-- no), as the audit-committee pack's opinions table shows them: the count of each and
-- its share of the final reports that gave an opinion.
-- One row per fiscal year, quarter and opinion, best first, for every quarter with a
-- plan row (rpt_audit__plan_progress); an opinion no report gave has count 0.

with plans as (

    select * from {{ ref('rpt_audit__plan_progress') }}

),

opinions as (

    -- One row per opinion, best to worst, with the words the pack writes it in.
    select p.fiscal_year, p.quarter, p.opinions_given, o.*
    from plans as p
    cross join lateral (
        values
            (1, 'substantial', 'Substantial', coalesce(p.substantial, 0)),
            (2, 'reasonable', 'Reasonable', coalesce(p.reasonable, 0)),
            (3, 'limited', 'Limited', coalesce(p.limited, 0)),
            (4, 'no', 'No assurance', coalesce(p.no_assurance, 0))
    ) as o (sort_order, opinion, label, audits)

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    opinion::text as opinion,
    label::text as label,
    audits::integer as audits,
    -- A percentage of the opinions given, to one decimal place, rounded half up; empty
    -- when no final report has given one yet.
    (case when opinions_given > 0
          then round(audits * 100.0 / opinions_given, 1) end)::numeric as share,
    sort_order::integer as sort_order
from opinions
