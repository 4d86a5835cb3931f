-- Overall project RAG (rules.md "Corporate projects and capital") from time, cost, scope
-- and benefits, with the overrun escalation to Red (macro project_overall_rag, threshold
-- var project_overrun_red_above_pct).

with projects as (

    select * from {{ ref('int_projects__variance') }}

)

select
    *,
    {{ project_overall_rag('rag_time', 'rag_cost', 'rag_scope', 'rag_benefits',
                           'approved_budget', 'forecast_outturn') }} as overall_rag
from projects
