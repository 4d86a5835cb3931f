-- Lineage of the audit-committee pack (contracts/packs.md): per quarter, the loaded files
-- its figures rest on, read from staging (current rows only: a row a later file
-- restated is not there). They are the files of the snapshots the pack reads
-- (rpt_audit__snapshots): the risk register's snapshot and the one before it (movement
-- compares the two); the engagement files of the engagement, plan and recommendation
-- snapshots (the overdue list names each recommendation's audit from the engagements
-- export); and the recommendation files of the recommendation and implementation
-- snapshots. These are exactly the files the pack listed before its figures moved here.
-- One row per fiscal year, quarter (period `Q1`..`Q4`) and file.

with snapshots as (

    select * from {{ ref('rpt_audit__snapshots') }}

),

risk_files as (

    select distinct s.fiscal_year, s.quarter, r.file_id
    from snapshots as s
    join {{ ref('stg_risk__register') }} as r
        on r.snapshot_date in (s.risk_snapshot_date, s.risk_previous_snapshot_date)

),

engagement_files as (

    select distinct s.fiscal_year, s.quarter, e.file_id
    from snapshots as s
    join {{ ref('stg_audit__engagements') }} as e
        on e.snapshot_date in (s.engagements_snapshot_date, s.plan_snapshot_date,
                               s.recommendations_snapshot_date)

),

recommendation_files as (

    select distinct s.fiscal_year, s.quarter, r.file_id
    from snapshots as s
    join {{ ref('stg_audit__recommendations') }} as r
        on r.snapshot_date in (s.recommendations_snapshot_date,
                               s.implementation_snapshot_date)

),

files as (

    select * from risk_files
    union
    select * from engagement_files
    union
    select * from recommendation_files

)

select
    'audit-committee'::text as pack,
    fiscal_year::text as fiscal_year,
    ('Q' || quarter)::text as period,
    file_id::bigint as file_id
from files
