-- Mandatory training status of each assignment at the snapshot (rules.md "Mandatory
-- training"): due when due_date is on or before as_at_date; completed on time when
-- completed on or before due_date; overdue when due before as_at_date and not completed.
-- A completion dated after the snapshot is not yet a completion. Due on as_at_date itself
-- and not completed is `due today`: due, but not yet overdue.

with training as (

    select * from {{ ref('stg_workforce__training') }}

),

completed as (

    select
        *,
        case when completed_date <= as_at_date then completed_date end as completed_by_as_at
    from training

)

select
    as_at_date,
    person_ref,
    directorate_code,
    course,
    assigned_date,
    due_date,
    completed_date,
    due_date <= as_at_date as is_due,
    case
        when due_date > as_at_date then 'not yet due'
        when completed_by_as_at <= due_date then 'completed on time'
        when completed_by_as_at is not null then 'completed late'
        when due_date < as_at_date then 'overdue'
        else 'due today'
    end as training_status,
    file_id,
    sha256,
    line_number
from completed
