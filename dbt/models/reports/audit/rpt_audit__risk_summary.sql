-- The audit-committee pack's corporate risk summary (rules.md "Risk"): how many
-- corporate risks are open and closed at the quarter's register snapshot, the open ones
-- by rating, above appetite and with an overdue review, and every corporate risk's
-- movement against the previous snapshot (closed ones included: `closed` is a movement).
-- One row per fiscal year and quarter that has a register snapshot; counts are 0, not
-- empty, when the corporate register has no risk of a kind.

with snapshots as (

    select * from {{ ref('rpt_audit__snapshots') }}
    where risk_snapshot_date is not null

),

risks as (

    select * from {{ ref('rpt_audit__risk_register') }}

),

counted as (

    select
        s.fiscal_year,
        s.quarter,
        s.risk_snapshot_date,
        count(r.risk_id) filter (where r.listed_as = 'open') as open,
        count(r.risk_id) filter (where r.listed_as = 'closed') as closed,
        -- Ratings, appetite and reviews are of open risks only (a closed risk's last
        -- rating is history, and its review is never overdue).
        count(r.risk_id) filter (where r.listed_as = 'open' and r.rating = 'Very high')
            as very_high,
        count(r.risk_id) filter (where r.listed_as = 'open' and r.rating = 'High') as high,
        count(r.risk_id) filter (where r.listed_as = 'open' and r.rating = 'Medium') as medium,
        count(r.risk_id) filter (where r.listed_as = 'open' and r.rating = 'Low') as low,
        count(r.risk_id) filter (where r.listed_as = 'open' and r.above_appetite)
            as above_appetite,
        count(r.risk_id) filter (where r.listed_as = 'open' and r.review_overdue)
            as review_overdue,
        count(r.risk_id) filter (where r.movement = 'up') as movement_up,
        count(r.risk_id) filter (where r.movement = 'new') as movement_new,
        count(r.risk_id) filter (where r.movement = 'no change') as movement_no_change,
        count(r.risk_id) filter (where r.movement = 'down') as movement_down,
        count(r.risk_id) filter (where r.movement = 'closed') as movement_closed
    from snapshots as s
    left join risks as r on r.fiscal_year = s.fiscal_year and r.quarter = s.quarter
    group by s.fiscal_year, s.quarter, s.risk_snapshot_date

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    risk_snapshot_date::date as snapshot_date,
    open::integer as open,
    closed::integer as closed,
    very_high::integer as very_high,
    high::integer as high,
    medium::integer as medium,
    low::integer as low,
    above_appetite::integer as above_appetite,
    review_overdue::integer as review_overdue,
    movement_up::integer as movement_up,
    movement_new::integer as movement_new,
    movement_no_change::integer as movement_no_change,
    movement_down::integer as movement_down,
    movement_closed::integer as movement_closed
from counted
