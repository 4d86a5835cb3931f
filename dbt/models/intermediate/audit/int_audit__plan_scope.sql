-- Plan progress scope (rules.md "Internal audit"): every engagement of every snapshot,
-- in scope unless `cancelled` or `deferred`. Restricted engagements stay in: they are
-- counted in every total and only their names are kept out of public packs, so the
-- flag travels with every row.

select
    snapshot_date,
    audit_id,
    audit_title,
    directorate_code,
    plan_year,
    audit_type,
    status,
    assurance_opinion,
    planned_days,
    actual_days,
    draft_issued,
    final_issued,
    restricted as is_restricted,
    status not in ('cancelled', 'deferred') as in_scope,
    file_id,
    sha256,
    line_number
from {{ ref('stg_audit__engagements') }}
