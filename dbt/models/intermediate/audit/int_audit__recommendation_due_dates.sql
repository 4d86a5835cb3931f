-- Recommendation due date rule (rules.md "Internal audit"): the revised due date when
-- given, else the original one; due when that date is on or before the snapshot date.

select
    snapshot_date,
    recommendation_id,
    audit_id,
    priority,
    agreed_action,
    action_owner,
    original_due_date,
    revised_due_date,
    {{ audit_due_date('revised_due_date', 'original_due_date') }} as due_date,
    {{ audit_due_date('revised_due_date', 'original_due_date') }} <= snapshot_date as is_due,
    status,
    implemented_date,
    file_id,
    sha256,
    line_number
from {{ ref('stg_audit__recommendations') }}
