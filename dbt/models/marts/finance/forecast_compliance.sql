-- Forecast submission compliance per directorate (docs/finance-marts.md).

with cost_centres as (

    select * from {{ ref('int_finance__submission_compliance') }}

),

directorates as (

    select
        fiscal_year,
        period,
        period_end,
        directorate_code,
        max(directorate_name) as directorate_name,
        count(*) as active_cost_centres,
        count(*) filter (where submission_status = 'on time') as submitted_on_time,
        count(*) filter (where submission_status = 'late') as submitted_late,
        count(*) filter (where submission_status = 'not submitted') as not_submitted,
        max(deadline) as deadline
    from cost_centres
    group by 1, 2, 3, 4

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    period_end::date as period_end,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    active_cost_centres::integer as active_cost_centres,
    submitted_on_time::integer as submitted_on_time,
    submitted_late::integer as submitted_late,
    not_submitted::integer as not_submitted,
    (case when active_cost_centres > 0
          then round(submitted_on_time * 100.0 / active_cost_centres, 2) end)::numeric
        as compliance_pct,
    deadline::timestamptz as deadline
from directorates
