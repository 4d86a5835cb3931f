-- Progress of the quarter's fiscal year's internal audit plan (rules.md "Internal
-- audit": audits at final report and at draft report, as counts and as a share of the
-- audits not cancelled or deferred), as the audit-committee pack shows it: the mart's
-- row for the plan year at the quarter's plan snapshot, with the audits not yet at
-- report stage and the number of final reports that gave an opinion.
-- One row per fiscal year and quarter whose plan snapshot holds that year's plan.

with snapshots as (

    select * from {{ ref('rpt_audit__snapshots') }}
    where plan_snapshot_date is not null

),

plans as (

    select * from {{ ref('audit_plan_progress') }}

),

this_years_plan as (

    -- The plan read is the quarter's own fiscal year's: a quarter reports on its plan.
    select
        s.fiscal_year,
        s.quarter,
        p.*
    from snapshots as s
    join plans as p
        on p.snapshot_date = s.plan_snapshot_date and p.plan_year = s.fiscal_year

),

with_remainder as (

    select
        *,
        -- In scope and at neither report stage: planning, fieldwork, not started.
        audits_in_scope - final_reports - draft_reports as not_yet_reported,
        -- An opinion missing from the mart counts as none given.
        coalesce(substantial, 0) + coalesce(reasonable, 0) + coalesce(limited, 0)
            + coalesce(no_assurance, 0) as opinions_given
    from this_years_plan

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
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
    deferred::integer as deferred,
    not_yet_reported::integer as not_yet_reported,
    -- Its share of the plan: a percentage to one decimal place, rounded half up (round()
    -- on numeric rounds half away from zero, the same for a count); empty for an empty
    -- plan, never a division by zero.
    (case when audits_in_scope > 0
          then round(not_yet_reported * 100.0 / audits_in_scope, 1) end)::numeric
        as not_yet_reported_pct,
    opinions_given::integer as opinions_given
from with_remainder
