-- Mandatory training completion per snapshot, directorate and course
-- (docs/services-marts.md). Counts of people: public packs apply disclosure control.

with compliance as (

    select * from {{ ref('int_workforce__training_compliance') }}

)

select
    as_at_date::date as as_at_date,
    directorate_code::text as directorate_code,
    course::text as course,
    assigned::integer as assigned,
    assigned_due::integer as assigned_due,
    completed_on_time::integer as completed_on_time,
    completed_late::integer as completed_late,
    overdue::integer as overdue,
    not_yet_due::integer as not_yet_due,
    completion_rate::numeric as completion_rate
from compliance
