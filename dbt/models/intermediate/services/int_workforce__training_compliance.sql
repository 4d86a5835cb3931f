-- Training completion per snapshot, directorate and course (rules.md "Mandatory
-- training"): completion rate = completed on time / assigned with due_date on or before
-- as_at_date, as a percentage (empty when none are due). Counts of people: public packs
-- apply disclosure control.

with status as (

    select * from {{ ref('int_workforce__training_status') }}

),

counted as (

    select
        as_at_date,
        directorate_code,
        course,
        count(*) as assigned,
        count(*) filter (where is_due) as assigned_due,
        count(*) filter (where training_status = 'completed on time') as completed_on_time,
        count(*) filter (where training_status = 'completed late') as completed_late,
        count(*) filter (where training_status = 'overdue') as overdue,
        count(*) filter (where training_status = 'not yet due') as not_yet_due
    from status
    group by 1, 2, 3

)

select
    *,
    {{ pct_or_null('completed_on_time', 'assigned_due') }} as completion_rate
from counted
