-- Corporate projects and capital (docs/services-marts.md): every project in every
-- quarterly snapshot with slippage, cost variance and overall RAG.

with projects as (

    select * from {{ ref('int_projects__overall_rag') }}

)

select
    as_at_date::date as as_at_date,
    project_id::text as project_id,
    project_name::text as project_name,
    directorate_code::text as directorate_code,
    stage::text as stage,
    is_capital::boolean as is_capital,
    approved_budget::numeric as approved_budget,
    spend_to_date::numeric as spend_to_date,
    forecast_outturn::numeric as forecast_outturn,
    cost_variance::numeric as cost_variance,
    cost_variance_pct::numeric as cost_variance_pct,
    baseline_end_date::date as baseline_end_date,
    forecast_end_date::date as forecast_end_date,
    slippage_days::integer as slippage_days,
    rag_time::text as rag_time,
    rag_cost::text as rag_cost,
    rag_scope::text as rag_scope,
    rag_benefits::text as rag_benefits,
    overall_rag::text as overall_rag,
    commentary::text as commentary,
    sha256::text as sha256
from projects
