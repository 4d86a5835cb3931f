-- The council's revenue outturn for the year-end summary (rules.md "Calendar" and
-- "Finance"): period 13, which holds the year-end adjustments, once it exists; until
-- then period 12 (March). One row per fiscal year that has either.

with council as (

    select * from {{ ref('finance_outturn_council') }}
    where period in (12, 13)

),

outturn as (

    select distinct on (fiscal_year) *
    from council
    order by fiscal_year, period desc

)

select
    fiscal_year::text as fiscal_year,
    period::int as period,
    period_end::date as period_end,
    current_budget::numeric as current_budget,
    actual_ytd::numeric as actual_ytd,
    forecast_outturn::numeric as forecast_outturn,
    variance::numeric as variance,
    variance_pct::numeric as variance_pct,
    rag::text as rag
from outturn
