-- Every agreed recommendation of every snapshot (docs/risk-audit-marts.md): due date,
-- overdue, days overdue, and its audit's title and restriction.

with due_dates as (

    select * from {{ ref('int_audit__recommendation_due_dates') }}

),

overdue as (

    select * from {{ ref('int_audit__recommendations_overdue') }}

),

audits as (

    select * from {{ ref('int_audit__recommendation_audits') }}

)

select
    d.snapshot_date::date as snapshot_date,
    d.recommendation_id::text as recommendation_id,
    d.audit_id::text as audit_id,
    a.audit_title::text as audit_title,
    a.directorate_code::text as directorate_code,
    a.is_restricted::boolean as is_restricted,
    d.priority::text as priority,
    d.agreed_action::text as agreed_action,
    d.action_owner::text as action_owner,
    d.original_due_date::date as original_due_date,
    d.revised_due_date::date as revised_due_date,
    d.due_date::date as due_date,
    d.status::text as status,
    d.implemented_date::date as implemented_date,
    d.is_due::boolean as is_due,
    o.is_overdue::boolean as is_overdue,
    o.days_overdue::integer as days_overdue,
    d.sha256::text as sha256
from due_dates as d
join overdue as o
    on o.snapshot_date = d.snapshot_date and o.recommendation_id = d.recommendation_id
join audits as a
    on a.snapshot_date = d.snapshot_date and a.recommendation_id = d.recommendation_id
