-- Submission compliance (rules.md "Finance"): for each cost centre active at the period's
-- end, whether its forecast for P arrived on time. The deadline is the end of the 10th
-- calendar day after the period's end, Europe/London (BST or GMT as the date falls):
-- 23:59:59.999999 London time, so a submission at 23:59 on the 10th day is on time and
-- one at 00:00 on the 11th is late.

with periods as (

    select
        *,
        ((period_end + {{ var('forecast_deadline_days') }} + 1)::timestamp
            at time zone 'Europe/London') - interval '1 microsecond' as deadline
    from {{ ref('int_finance__fiscal_periods') }}

),

active as (

    select * from {{ ref('int_reference__org_at_period_end') }}
    where is_active

),

submissions as (

    select fiscal_year, period, cost_centre, submitted_at from {{ ref('stg_finance__forecast') }}

)

select
    p.fiscal_year,
    p.period,
    p.period_end,
    p.deadline,
    a.cost_centre,
    a.directorate_code,
    a.directorate_name,
    s.submitted_at,
    case
        when s.submitted_at is null then 'not submitted'
        when s.submitted_at <= p.deadline then 'on time'
        else 'late'
    end as submission_status
from periods as p
join active as a on a.fiscal_year = p.fiscal_year and a.period = p.period
left join submissions as s
    on s.fiscal_year = p.fiscal_year and s.period = p.period and s.cost_centre = a.cost_centre
