-- Unmapped lines (rules.md "Finance": kept, totalled under `Unmapped`, listed in the
-- data-quality section) at the period the year-end outturn is read at (13, else 12).

with outturn as (

    select fiscal_year, period from {{ ref('rpt_year_end__outturn_council') }}

),

unmapped as (

    select u.*
    from {{ ref('finance_unmapped_lines') }} as u
    join outturn as o on o.fiscal_year = u.fiscal_year and o.period = u.period

)

select
    fiscal_year::text as fiscal_year,
    period::int as period,
    source::text as source,
    cost_centre::text as cost_centre,
    account_code::text as account_code,
    reason::text as reason,
    lines::int as lines,
    amount::numeric as amount,
    row_number() over (
        partition by fiscal_year
        order by source, cost_centre nulls first, account_code nulls first, reason
    )::int as sort_order
from unmapped
