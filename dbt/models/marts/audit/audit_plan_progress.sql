-- Audit plan progress per snapshot and plan year (docs/risk-audit-marts.md).

select
    snapshot_date::date as snapshot_date,
    plan_year::text as plan_year,
    audits_in_scope::integer as audits_in_scope,
    final_reports::integer as final_reports,
    draft_reports::integer as draft_reports,
    final_pct::numeric as final_pct,
    draft_pct::numeric as draft_pct,
    substantial::integer as substantial,
    reasonable::integer as reasonable,
    limited::integer as limited,
    no_assurance::integer as no_assurance,
    restricted_audits::integer as restricted_audits,
    cancelled::integer as cancelled,
    deferred::integer as deferred
from {{ ref('int_audit__plan_progress') }}
