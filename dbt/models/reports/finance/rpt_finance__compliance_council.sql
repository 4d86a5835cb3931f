-- Forecast submission compliance for the whole council (rules.md "Finance"): the
-- "Council total" line of the finance-outturn pack's compliance table and its headline
-- ("528 of 579 active cost centres (91.2%) sent their forecast on time").
-- One row per fiscal year and period that has directorate rows.

with directorates as (

    select * from {{ ref('forecast_compliance') }}

),

council as (

    -- The council's counts are the directorates' counts added up: every active cost
    -- centre sits in exactly one directorate (UNMAPPED included).
    select
        fiscal_year,
        period,
        coalesce(sum(active_cost_centres), 0) as active_cost_centres,
        coalesce(sum(submitted_on_time), 0) as submitted_on_time,
        coalesce(sum(submitted_late), 0) as submitted_late,
        coalesce(sum(not_submitted), 0) as not_submitted
    from directorates
    group by fiscal_year, period

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    active_cost_centres::integer as active_cost_centres,
    submitted_on_time::integer as submitted_on_time,
    submitted_late::integer as submitted_late,
    not_submitted::integer as not_submitted,
    -- Submission compliance = on time / active, as a percentage to one decimal place
    -- (half away from zero, as the mart rounds the directorates' shares); empty with no
    -- active cost centre, never a division by zero.
    (case when active_cost_centres > 0
          then round(submitted_on_time * 100.0 / active_cost_centres, 1) end)::numeric
        as compliance_pct
from council
