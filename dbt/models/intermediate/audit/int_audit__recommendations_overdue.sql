-- Overdue rule (rules.md "Internal audit"): `open` and due (revised due date, else the
-- original) before the snapshot date, so due on the snapshot date itself is not overdue
-- yet. Days overdue in calendar days from the due date to the snapshot date; 0 when not
-- overdue. Read from staging so a unit test proves a revised date moving a
-- recommendation out of overdue, end to end.

with recommendations as (

    select
        snapshot_date,
        recommendation_id,
        status,
        {{ audit_due_date('revised_due_date', 'original_due_date') }} as due_date
    from {{ ref('stg_audit__recommendations') }}

)

select
    snapshot_date,
    recommendation_id,
    due_date,
    status,
    coalesce(status = 'open' and due_date < snapshot_date, false) as is_overdue,
    case when status = 'open' and due_date < snapshot_date
         then snapshot_date - due_date else 0 end as days_overdue
from recommendations
