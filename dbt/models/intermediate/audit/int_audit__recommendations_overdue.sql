-- Overdue rule (rules.md "Internal audit"): `open` and due before the snapshot date, so
-- due on the snapshot date itself is not overdue yet. Days overdue in calendar days from
-- the due date to the snapshot date; 0 when not overdue.

select
    snapshot_date,
    recommendation_id,
    due_date,
    status,
    coalesce(status = 'open' and due_date < snapshot_date, false) as is_overdue,
    case when status = 'open' and due_date < snapshot_date
         then snapshot_date - due_date else 0 end as days_overdue
from {{ ref('int_audit__recommendation_due_dates') }}
