-- Mandatory training across the council (rules.md "Mandatory training"): the total line
-- of the scrutiny pack's training table, each quarter's directorate and course lines
-- added up. Counts of people, disclosure-controlled by the pack with the lines.

with lines as (

    select * from {{ ref('rpt_scrutiny__training') }}

),

council as (

    select
        fiscal_year,
        quarter,
        max(as_at_date) as as_at_date,
        coalesce(sum(completed_on_time), 0) as completed_on_time,
        coalesce(sum(not_completed_on_time), 0) as not_completed_on_time,
        coalesce(sum(due), 0) as due
    from lines
    group by fiscal_year, quarter

)

select
    fiscal_year::text as fiscal_year,
    quarter::int as quarter,
    as_at_date::date as as_at_date,
    completed_on_time::int as completed_on_time,
    not_completed_on_time::int as not_completed_on_time,
    due::int as due,
    -- completed on time as a % of due, to 0.1 and half to even; empty when nobody is due
    {{ percent_half_even('completed_on_time', 'due') }}::numeric as completion_rate
from council
