-- Monthly outturn per directorate (docs/finance-marts.md), UNMAPPED for lines outside
-- the reference data; same variance, RAG and movement rules as every other level.

with lines as (

    select
        fiscal_year,
        period,
        period_end,
        directorate_code,
        max(directorate_name) as directorate_name,
        sum(current_budget) as current_budget,
        sum(actual_ytd) as actual_ytd,
        sum(forecast_outturn) as forecast_outturn,
        sum(forecast_outturn) - sum(current_budget) as variance
    from {{ ref('finance_outturn') }}
    group by 1, 2, 3, 4

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    period_end::date as period_end,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    current_budget::numeric as current_budget,
    actual_ytd::numeric as actual_ytd,
    forecast_outturn::numeric as forecast_outturn,
    variance::numeric as variance,
    ({{ finance_variance_pct('variance', 'current_budget') }})::numeric as variance_pct,
    ({{ finance_rag('variance', 'current_budget') }})::text as rag,
    ({{ finance_movement('directorate_code') }})::numeric as movement
from lines
