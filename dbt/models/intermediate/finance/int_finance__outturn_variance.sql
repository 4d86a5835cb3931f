-- Variance and RAG (rules.md "Finance") per cost centre and period. A cost centre that
-- has never submitted a forecast is defaulted to its current budget; one with spend but
-- no budget and no submission (most often an unmapped one) is forecast at its actual
-- year to date (`defaulted to actuals`): money already spent is never forecast as zero.
-- Variance = forecast outturn - current budget (positive is an overspend).
-- UNMAPPED gathers every line outside the reference data: its own budget, actuals and
-- forecasts; a budget line with an unknown account in a known cost centre has no
-- forecast of its own, so it is defaulted to its budget (no variance invented).

with budget as (

    select * from {{ ref('int_finance__current_budget') }}

),

actuals as (

    select * from {{ ref('int_finance__actuals_ytd') }}

),

forecasts as (

    select * from {{ ref('int_finance__forecast_selection') }}

),

components as (

    select fiscal_year, period, cost_centre, reporting_cost_centre from budget
    union
    select fiscal_year, period, cost_centre, reporting_cost_centre from actuals
    union
    select fiscal_year, period, cost_centre, reporting_cost_centre from forecasts

),

joined as (

    select
        c.fiscal_year,
        c.period,
        c.reporting_cost_centre,
        coalesce(b.current_budget, 0) as current_budget,
        coalesce(a.actual, 0) as actual,
        coalesce(a.actual_ytd, 0) as actual_ytd,
        case
            when f.forecast_outturn is not null then f.forecast_outturn
            when coalesce(b.current_budget, 0) = 0 and coalesce(a.actual_ytd, 0) <> 0
                then a.actual_ytd
            else coalesce(b.current_budget, 0)
        end as forecast_outturn,
        case
            when f.forecast_basis is not null then f.forecast_basis
            when coalesce(b.current_budget, 0) = 0 and coalesce(a.actual_ytd, 0) <> 0
                then 'defaulted to actuals'
            else 'defaulted to budget'
        end as forecast_basis,
        f.submitted_at,
        f.commentary
    from components as c
    left join budget as b
        on b.fiscal_year = c.fiscal_year and b.period = c.period
        and b.cost_centre = c.cost_centre and b.reporting_cost_centre = c.reporting_cost_centre
    left join actuals as a
        on a.fiscal_year = c.fiscal_year and a.period = c.period
        and a.cost_centre = c.cost_centre and a.reporting_cost_centre = c.reporting_cost_centre
    left join forecasts as f
        on f.fiscal_year = c.fiscal_year and f.period = c.period
        and f.cost_centre = c.cost_centre and f.reporting_cost_centre = c.reporting_cost_centre

),

lines as (

    select
        fiscal_year,
        period,
        reporting_cost_centre as cost_centre,
        reporting_cost_centre = 'UNMAPPED' as is_unmapped,
        sum(current_budget) as current_budget,
        sum(actual) as actual,
        sum(actual_ytd) as actual_ytd,
        sum(forecast_outturn) as forecast_outturn,
        -- UNMAPPED mixes many cost centres: it is as good as its best forecast
        case
            when bool_or(forecast_basis = 'submitted') then 'submitted'
            when bool_or(forecast_basis = 'carried forward') then 'carried forward'
            when bool_or(forecast_basis = 'defaulted to actuals') then 'defaulted to actuals'
            else 'defaulted to budget'
        end as forecast_basis,
        case when reporting_cost_centre <> 'UNMAPPED' then max(submitted_at) end as submitted_at,
        case when reporting_cost_centre <> 'UNMAPPED' then max(commentary) end as commentary
    from joined
    group by 1, 2, 3

)

select
    *,
    forecast_outturn - current_budget as variance,
    {{ finance_variance_pct('forecast_outturn - current_budget', 'current_budget') }} as variance_pct,
    {{ finance_rag('forecast_outturn - current_budget', 'current_budget') }} as rag
from lines
