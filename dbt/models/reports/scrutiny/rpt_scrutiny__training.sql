-- Mandatory training per directorate and course (rules.md "Mandatory training") at the
-- latest snapshot on or before each quarter's end: people due, completed by their due
-- date, and not completed by it. Counts of people: the pack applies disclosure control
-- to them at render time, and shows a line's completion rate only when the whole line
-- is shown. Ordered by directorate name, then course, as the pack lists
-- them (ignoring case).

with training as (

    select * from {{ ref('training_compliance') }}

),

snapshots as (

    {{ snapshot_per_quarter(ref('training_compliance'), 'as_at_date') }}

),

names as (

    select * from {{ ref('rpt_scrutiny__directorate_names') }}

),

lines as (

    select
        s.fiscal_year,
        s.quarter,
        t.as_at_date,
        t.directorate_code,
        -- the code stands in for a directorate neither mart names
        coalesce(n.directorate_name, t.directorate_code) as directorate_name,
        t.course,
        t.assigned_due,
        t.completed_on_time
    from snapshots as s
    join training as t on t.as_at_date = s.snapshot_date
    left join names as n on n.directorate_code = t.directorate_code

)

select
    fiscal_year::text as fiscal_year,
    quarter::int as quarter,
    as_at_date::date as as_at_date,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    course::text as course,
    completed_on_time::int as completed_on_time,
    -- never below 0, even if a feed reported more on time than due
    greatest(coalesce(assigned_due, 0) - coalesce(completed_on_time, 0), 0)::int
        as not_completed_on_time,
    assigned_due::int as due,
    -- completed on time as a % of due, to 0.1 and half to even; empty when nobody is due
    {{ percent_half_even('completed_on_time', 'assigned_due') }}::numeric as completion_rate,
    row_number() over (
        partition by fiscal_year, quarter
        order by lower(directorate_name) collate "C", directorate_code collate "C",
                 lower(course) collate "C"
    )::int as sort_order
from lines
