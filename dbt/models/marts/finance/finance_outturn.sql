-- Monthly outturn per cost centre (docs/finance-marts.md). Names and structure are those
-- in force at the period's end; lines outside the reference data are one UNMAPPED line.

with outturn as (

    select * from {{ ref('int_finance__outturn_variance') }}

),

periods as (

    select * from {{ ref('int_finance__fiscal_periods') }}

),

org as (

    select * from {{ ref('int_reference__org_at_period_end') }}

),

lines as (

    select
        o.fiscal_year,
        o.period,
        p.period_end,
        o.cost_centre,
        case when o.is_unmapped then 'Unmapped' else org.cost_centre_name end as cost_centre_name,
        case when o.is_unmapped then 'UNMAPPED' else org.service_code end as service_code,
        case when o.is_unmapped then 'Unmapped' else org.service_name end as service_name,
        case when o.is_unmapped then 'UNMAPPED' else org.directorate_code end as directorate_code,
        case when o.is_unmapped then 'Unmapped' else org.directorate_name end as directorate_name,
        org.budget_manager,
        o.current_budget,
        o.actual_ytd,
        o.forecast_outturn,
        o.forecast_basis,
        o.variance,
        o.variance_pct,
        o.rag,
        o.commentary,
        o.submitted_at,
        o.is_unmapped
    from outturn as o
    join periods as p on p.fiscal_year = o.fiscal_year and p.period = o.period
    left join org
        on org.fiscal_year = o.fiscal_year and org.period = o.period
        and org.cost_centre = o.cost_centre

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    period_end::date as period_end,
    cost_centre::text as cost_centre,
    cost_centre_name::text as cost_centre_name,
    service_code::text as service_code,
    service_name::text as service_name,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    budget_manager::text as budget_manager,
    current_budget::numeric as current_budget,
    actual_ytd::numeric as actual_ytd,
    forecast_outturn::numeric as forecast_outturn,
    forecast_basis::text as forecast_basis,
    variance::numeric as variance,
    variance_pct::numeric as variance_pct,
    rag::text as rag,
    ({{ finance_movement('cost_centre') }})::numeric as movement,
    commentary::text as commentary,
    submitted_at::timestamptz as submitted_at,
    is_unmapped::boolean as is_unmapped
from lines
