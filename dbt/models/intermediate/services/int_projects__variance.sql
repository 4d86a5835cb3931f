-- Slippage and cost variance (rules.md "Corporate projects and capital"), per project in
-- every quarterly snapshot: slippage (days) = forecast_end_date - baseline_end_date
-- (positive is late); cost variance = forecast_outturn - approved_budget (positive is an
-- overspend), as a percentage of |approved_budget| empty when the budget is 0.

with capital as (

    select * from {{ ref('stg_finance__capital') }}

)

select
    as_at_date,
    project_id,
    project_name,
    directorate_code,
    stage,
    is_capital,
    approved_budget,
    spend_to_date,
    forecast_outturn,
    forecast_outturn - approved_budget as cost_variance,
    {{ finance_variance_pct('forecast_outturn - approved_budget', 'approved_budget') }}
        as cost_variance_pct,
    baseline_end_date,
    forecast_end_date,
    forecast_end_date - baseline_end_date as slippage_days,
    rag_time,
    rag_cost,
    rag_scope,
    rag_benefits,
    commentary,
    file_id,
    sha256,
    line_number
from capital
