-- Monthly outturn per service (docs/finance-marts.md): the cost centres that sat in the
-- service at the period's end. Variance, RAG and movement follow the same rules as for a
-- cost centre (the finance_rag macro), applied to the service's totals.

with lines as (

    select
        fiscal_year,
        period,
        period_end,
        service_code,
        max(service_name) as service_name,
        max(directorate_code) as directorate_code,
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
    service_code::text as service_code,
    service_name::text as service_name,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    current_budget::numeric as current_budget,
    actual_ytd::numeric as actual_ytd,
    forecast_outturn::numeric as forecast_outturn,
    variance::numeric as variance,
    ({{ finance_variance_pct('variance', 'current_budget') }})::numeric as variance_pct,
    ({{ finance_rag('variance', 'current_budget') }})::text as rag,
    ({{ finance_movement('service_code') }})::numeric as movement
from lines
