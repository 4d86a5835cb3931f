-- Review overdue rule (rules.md "Risk"): an open risk whose next review was due before
-- the snapshot date. Due on the snapshot date itself is not overdue yet; a closed risk
-- is never overdue.

select
    snapshot_date,
    risk_id,
    status,
    next_review_due,
    coalesce(status = 'open' and next_review_due < snapshot_date, false) as review_overdue
from {{ ref('int_risk__scores') }}
