-- Forecast submission compliance (rules.md "Finance"), one row per directorate of the
-- finance-outturn pack's compliance table: the mart's counts as they are, with the
-- order the table shows them in, so the pack never sorts by a rule.

with directorates as (

    select * from {{ ref('forecast_compliance') }}

),

ordered as (

    -- Unmapped sorts last: it is not a directorate. Then by name, the code breaking ties.
    select
        *,
        row_number() over (
            partition by fiscal_year, period
            order by directorate_code = 'UNMAPPED', directorate_name, directorate_code
        ) as sort_order
    from directorates

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    active_cost_centres::integer as active_cost_centres,
    submitted_on_time::integer as submitted_on_time,
    submitted_late::integer as submitted_late,
    not_submitted::integer as not_submitted,
    compliance_pct::numeric as compliance_pct,
    deadline::timestamptz as deadline,
    sort_order::integer as sort_order
from ordered
