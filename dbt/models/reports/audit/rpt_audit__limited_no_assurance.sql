-- The audit-committee pack's list of limited and no assurance audits (contracts/packs.md):
-- every final report at the quarter's engagement snapshot that gave limited or no
-- assurance (rules.md "Internal audit": the two worst opinions), on this year's plan or
-- finalised this year up to the quarter's end. An audit of last year's plan finalised
-- this year is listed too, since the committee has not seen it; a draft is not, as its
-- opinion can still change. Restricted audits are listed: this pack is restricted.
-- One row per fiscal year, quarter and audit, no assurance first, then by the date the
-- final report was issued.

with snapshots as (

    select * from {{ ref('rpt_audit__snapshots') }}
    where engagements_snapshot_date is not null

),

engagements as (

    select * from {{ ref('audit_engagements') }}
    where status = 'final report' and assurance_opinion in ('limited', 'no')

),

listed as (

    select
        s.fiscal_year,
        s.quarter,
        e.*
    from snapshots as s
    join engagements as e
        on e.snapshot_date = s.engagements_snapshot_date
       and (e.plan_year = s.fiscal_year
            or e.final_issued between s.year_start and s.quarter_end)

),

ordered as (

    select
        *,
        row_number() over (
            partition by fiscal_year, quarter
            order by (assurance_opinion = 'limited'), final_issued nulls last, audit_id
        ) as sort_order
    from listed

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    snapshot_date::date as snapshot_date,
    audit_id::text as audit_id,
    audit_title::text as audit_title,
    directorate_code::text as directorate_code,
    plan_year::text as plan_year,
    audit_type::text as audit_type,
    assurance_opinion::text as assurance_opinion,
    final_issued::date as final_issued,
    is_restricted::boolean as is_restricted,
    sort_order::integer as sort_order
from ordered
