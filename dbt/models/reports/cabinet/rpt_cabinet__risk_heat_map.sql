-- The Cabinet pack's corporate risk heat map (rules.md "Risk": 5 x 5 grid of open risks
-- by current likelihood and impact): for every quarter with a register snapshot, 25
-- cells, each with its score, rating by the configured bands, the number of open
-- corporate risks in it and their ids. A quarter whose register holds no open corporate
-- risk still has its 25 cells, all 0.

with snapshots as (

    select fiscal_year, quarter, snapshot_date
    from {{ ref('rpt_cabinet__risk_snapshots') }}

),

open_risks as (

    select fiscal_year, quarter, snapshot_date, risk_id, current_likelihood, current_impact
    from {{ ref('rpt_cabinet__open_risks') }}

),

cells as (
    {{ risk_heat_map_cells('open_risks', 'snapshots', ['fiscal_year', 'quarter', 'snapshot_date']) }}
)

select
    fiscal_year,
    quarter,
    snapshot_date,
    likelihood,
    impact,
    score,
    rating,
    risk_count,
    risk_ids
from cells
