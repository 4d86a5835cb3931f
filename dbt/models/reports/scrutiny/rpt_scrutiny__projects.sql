-- Corporate projects and capital schemes (rules.md "Corporate projects and capital") as
-- the scrutiny pack shows them: for each fiscal quarter, every project in the latest
-- snapshot on or before the quarter's end (a later snapshot never changes an earlier
-- quarter's pack), worst overall RAG first so the committee reads first the projects
-- that need its attention. project_status carries no public/restricted marking, so no
-- row is left out here.

with projects as (

    select * from {{ ref('project_status') }}

),

-- the latest snapshot on or before each quarter's end
snapshots as (

    {{ snapshot_per_quarter(ref('project_status'), 'as_at_date') }}

),

names as (

    select * from {{ ref('rpt_scrutiny__directorate_names') }}

),

in_quarter as (

    select
        s.fiscal_year,
        s.quarter,
        p.*,
        -- worst first: Red, Amber/Red, Amber/Green, Green, then anything else
        case p.overall_rag
            when 'Red' then 1
            when 'Amber/Red' then 2
            when 'Amber/Green' then 3
            when 'Green' then 4
            else 5
        end as rag_rank
    from snapshots as s
    join projects as p on p.as_at_date = s.snapshot_date

)

select
    q.fiscal_year::text as fiscal_year,
    q.quarter::int as quarter,
    q.as_at_date::date as as_at_date,
    q.project_id::text as project_id,
    q.project_name::text as project_name,
    q.directorate_code::text as directorate_code,
    -- the code stands in for a directorate neither mart names
    coalesce(n.directorate_name, q.directorate_code)::text as directorate_name,
    q.stage::text as stage,
    coalesce(q.is_capital, false)::boolean as is_capital,
    q.approved_budget::numeric as approved_budget,
    q.spend_to_date::numeric as spend_to_date,
    q.forecast_outturn::numeric as forecast_outturn,
    q.cost_variance::numeric as cost_variance,
    q.cost_variance_pct::numeric as cost_variance_pct,
    q.baseline_end_date::date as baseline_end_date,
    q.forecast_end_date::date as forecast_end_date,
    q.slippage_days::int as slippage_days,
    q.overall_rag::text as overall_rag,
    q.sha256::text as sha256,
    row_number() over (
        partition by q.fiscal_year, q.quarter
        order by q.rag_rank, q.project_name, q.project_id
    )::int as sort_order
from in_quarter as q
left join names as n on n.directorate_code = q.directorate_code
