-- The corporate risk register as the audit-committee pack shows it (rules.md "Risk"):
-- every corporate risk at the quarter's register snapshot, open and closed, with its
-- scores, rating, appetite, review and movement as the mart worked them out. The pack
-- lists the open ones in its register table and the closed ones beneath it.
-- One row per fiscal year, quarter and risk, highest current score first.

with snapshots as (

    select * from {{ ref('rpt_audit__snapshots') }}
    where risk_snapshot_date is not null

),

risks as (

    select * from {{ ref('risk_register') }}
    where register = 'corporate'

),

at_snapshot as (

    select
        s.fiscal_year,
        s.quarter,
        r.*
    from snapshots as s
    join risks as r on r.snapshot_date = s.risk_snapshot_date

),

ordered as (

    -- The register table's order: highest current score first, the id breaking ties.
    -- A closed risk is carried into the snapshot once with its last values (marts), and
    -- is listed apart from the open ones: status `open` is the only open status.
    select
        *,
        case when status = 'open' then 'open' else 'closed' end as listed_as,
        row_number() over (
            partition by fiscal_year, quarter
            order by current_score desc, risk_id
        ) as sort_order
    from at_snapshot

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    snapshot_date::date as snapshot_date,
    risk_id::text as risk_id,
    risk_title::text as risk_title,
    register::text as register,
    owner::text as owner,
    category::text as category,
    status::text as status,
    inherent_likelihood::integer as inherent_likelihood,
    inherent_impact::integer as inherent_impact,
    inherent_score::integer as inherent_score,
    current_likelihood::integer as current_likelihood,
    current_impact::integer as current_impact,
    current_score::integer as current_score,
    target_likelihood::integer as target_likelihood,
    target_impact::integer as target_impact,
    target_score::integer as target_score,
    rating::text as rating,
    above_appetite::boolean as above_appetite,
    next_review_due::date as next_review_due,
    review_overdue::boolean as review_overdue,
    movement::text as movement,
    previous_score::integer as previous_score,
    listed_as::text as listed_as,
    sort_order::integer as sort_order
from ordered
