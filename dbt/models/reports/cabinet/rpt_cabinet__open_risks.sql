-- The open corporate risks of each quarter's register snapshot (rpt_cabinet__risk_snapshots):
-- the risks the Cabinet pack's heat map, highest risks and counts by rating are made
-- of. Directorate registers and closed risks are left out. `sort_order` is highest
-- current score first, then by id.

with snapshots as (

    select * from {{ ref('rpt_cabinet__risk_snapshots') }}

),

risks as (

    -- The mart has no public/restricted marking today; were one added, a row marked
    -- not public must be left out here (rules.md "Publication and disclosure control").
    select * from {{ ref('risk_register') }}
    where register = 'corporate' and status = 'open'

)

select
    s.fiscal_year,
    s.quarter,
    s.snapshot_date,
    r.risk_id,
    r.risk_title,
    r.category,
    r.current_likelihood,
    r.current_impact,
    r.current_score,
    r.target_score,
    r.rating,
    r.above_appetite,
    r.movement,
    r.previous_score,
    r.sha256,
    row_number() over (
        partition by s.fiscal_year, s.quarter
        order by r.current_score desc, r.risk_id
    )::integer as sort_order
from snapshots as s
join risks as r
    on r.snapshot_date = s.snapshot_date
