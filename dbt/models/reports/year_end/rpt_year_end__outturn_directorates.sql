-- Revenue outturn by directorate for the year-end summary (rules.md "Finance"), at the
-- period the council's outturn is read at (13, else 12). Unmapped lines are kept and
-- come last, under `Unmapped`: they are never dropped from the totals.

with outturn as (

    select fiscal_year, period from {{ ref('rpt_year_end__outturn_council') }}

),

directorates as (

    select d.*
    from {{ ref('finance_outturn_directorate') }} as d
    join outturn as o on o.fiscal_year = d.fiscal_year and o.period = d.period

)

select
    fiscal_year::text as fiscal_year,
    period::int as period,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    current_budget::numeric as current_budget,
    actual_ytd::numeric as actual_ytd,
    forecast_outturn::numeric as forecast_outturn,
    variance::numeric as variance,
    variance_pct::numeric as variance_pct,
    rag::text as rag,
    row_number() over (
        partition by fiscal_year
        order by (directorate_code = 'UNMAPPED'), directorate_name, directorate_code
    )::int as sort_order
from directorates
