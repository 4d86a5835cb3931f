-- Every engagement of every audit snapshot (docs/risk-audit-marts.md); restricted ones
-- included and flagged, for public packs to leave out by name.

select
    snapshot_date::date as snapshot_date,
    audit_id::text as audit_id,
    audit_title::text as audit_title,
    directorate_code::text as directorate_code,
    plan_year::text as plan_year,
    audit_type::text as audit_type,
    status::text as status,
    assurance_opinion::text as assurance_opinion,
    draft_issued::date as draft_issued,
    final_issued::date as final_issued,
    is_restricted::boolean as is_restricted,
    in_scope::boolean as in_scope,
    sha256::text as sha256
from {{ ref('int_audit__plan_scope') }}
