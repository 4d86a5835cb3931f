-- Every overdue recommendation the audit-committee pack lists (rules.md "Internal
-- audit": overdue = `open` and due before the snapshot date; the due date is the revised
-- one when given; days overdue in calendar days), as the mart worked them out at the
-- quarter's recommendations snapshot. Restricted audits' recommendations are listed:
-- this pack is restricted.
-- One row per fiscal year, quarter and recommendation: high priority first, then the
-- longest overdue, then by id.

with snapshots as (

    select * from {{ ref('rpt_audit__snapshots') }}
    where recommendations_snapshot_date is not null

),

overdue as (

    select * from {{ ref('audit_recommendations') }}
    where is_overdue

),

at_snapshot as (

    select
        s.fiscal_year,
        s.quarter,
        o.*
    from snapshots as s
    join overdue as o on o.snapshot_date = s.recommendations_snapshot_date

),

ordered as (

    select
        *,
        row_number() over (
            partition by fiscal_year, quarter
            order by array_position(array['high', 'medium', 'low'], priority),
                     days_overdue desc, recommendation_id
        ) as sort_order
    from at_snapshot

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    snapshot_date::date as snapshot_date,
    recommendation_id::text as recommendation_id,
    audit_id::text as audit_id,
    audit_title::text as audit_title,
    directorate_code::text as directorate_code,
    is_restricted::boolean as is_restricted,
    priority::text as priority,
    agreed_action::text as agreed_action,
    action_owner::text as action_owner,
    original_due_date::date as original_due_date,
    revised_due_date::date as revised_due_date,
    due_date::date as due_date,
    days_overdue::integer as days_overdue,
    sort_order::integer as sort_order
from ordered
