-- The audit each recommendation arose from, with its restriction (rules.md "Publication
-- and disclosure control": restricted audits never appear in a public pack, so their
-- recommendations carry the flag). The audit is looked up in the latest engagements
-- snapshot on or before the recommendation's snapshot that lists it, so a late
-- engagements file leaves no recommendation without its audit. A recommendation whose
-- audit is in no such snapshot is treated as restricted: nothing is known that would
-- make it safe to publish.

with recommendations as (

    select snapshot_date, recommendation_id, audit_id
    from {{ ref('stg_audit__recommendations') }}

),

engagements as (

    select snapshot_date, audit_id, audit_title, directorate_code, is_restricted
    from {{ ref('int_audit__plan_scope') }}

)

select
    r.snapshot_date,
    r.recommendation_id,
    r.audit_id,
    e.snapshot_date as audit_snapshot_date,
    e.audit_title,
    e.directorate_code,
    coalesce(e.is_restricted, true) as is_restricted,
    e.audit_id is not null as audit_found
from recommendations as r
left join lateral (
    select * from engagements as e
    where e.audit_id = r.audit_id and e.snapshot_date <= r.snapshot_date
    order by e.snapshot_date desc
    limit 1
) as e on true
