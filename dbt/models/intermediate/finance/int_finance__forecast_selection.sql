-- Forecast rule (rules.md "Finance"): a cost centre's forecast for period P is its
-- submission for P (`submitted`); with none, its latest submission earlier in the same
-- year (`carried forward`). With none at all the outturn model defaults it to budget.
-- A forecast for a cost centre not in the reference data at P goes to UNMAPPED.

with periods as (

    select * from {{ ref('int_finance__fiscal_periods') }}

),

forecasts as (

    select * from {{ ref('stg_finance__forecast') }}

),

org as (

    select fiscal_year, period, cost_centre from {{ ref('int_reference__org_at_period_end') }}

),

candidates as (

    select
        p.fiscal_year,
        p.period,
        f.cost_centre,
        f.period as submission_period,
        f.forecast_outturn,
        f.submitted_by,
        f.submitted_at,
        f.commentary,
        row_number() over (
            partition by p.fiscal_year, p.period, f.cost_centre
            order by f.period desc, f.submitted_at desc
        ) as latest
    from periods as p
    join forecasts as f on f.fiscal_year = p.fiscal_year and f.period <= p.period

)

select
    c.fiscal_year,
    c.period,
    c.cost_centre,
    case when org.cost_centre is null then 'UNMAPPED' else c.cost_centre end
        as reporting_cost_centre,
    c.submission_period,
    c.forecast_outturn,
    case when c.submission_period = c.period then 'submitted' else 'carried forward' end
        as forecast_basis,
    c.submitted_by,
    c.submitted_at,
    c.commentary
from candidates as c
left join org
    on org.fiscal_year = c.fiscal_year and org.period = c.period
    and org.cost_centre = c.cost_centre
where c.latest = 1
