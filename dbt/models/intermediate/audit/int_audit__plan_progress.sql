-- Plan progress rule (rules.md "Internal audit"): per snapshot and plan year, audits at
-- `final report` and at `draft report` as counts and as shares of the audits in scope
-- (not `cancelled` or `deferred`), and final reports by opinion. Restricted audits are
-- counted like any other.

with engagements as (

    select * from {{ ref('int_audit__plan_scope') }}

),

opinions as (

    select * from {{ ref('int_audit__opinions') }}

),

counts as (

    select
        e.snapshot_date,
        e.plan_year,
        count(*) filter (where e.in_scope) as audits_in_scope,
        count(*) filter (where e.status = 'final report') as final_reports,
        count(*) filter (where e.status = 'draft report') as draft_reports,
        count(*) filter (where o.assurance_opinion = 'substantial') as substantial,
        count(*) filter (where o.assurance_opinion = 'reasonable') as reasonable,
        count(*) filter (where o.assurance_opinion = 'limited') as limited,
        count(*) filter (where o.assurance_opinion = 'no') as no_assurance,
        count(*) filter (where e.in_scope and e.is_restricted) as restricted_audits,
        count(*) filter (where e.status = 'cancelled') as cancelled,
        count(*) filter (where e.status = 'deferred') as deferred
    from engagements as e
    left join opinions as o on o.snapshot_date = e.snapshot_date and o.audit_id = e.audit_id
    group by 1, 2

)

select
    snapshot_date,
    plan_year,
    audits_in_scope,
    final_reports,
    draft_reports,
    {{ audit_share_pct('final_reports', 'audits_in_scope') }} as final_pct,
    {{ audit_share_pct('draft_reports', 'audits_in_scope') }} as draft_pct,
    substantial,
    reasonable,
    limited,
    no_assurance,
    restricted_audits,
    cancelled,
    deferred
from counts
