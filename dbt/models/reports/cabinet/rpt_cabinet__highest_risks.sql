-- The Cabinet pack's highest risks (contracts/packs.md): the open corporate risks of the
-- quarter's register rated Very high or High, highest current score first. One row per
-- line of the pack's table.

select
    fiscal_year,
    quarter,
    snapshot_date,
    risk_id,
    risk_title,
    category,
    current_likelihood,
    current_impact,
    current_score,
    target_score,
    rating,
    above_appetite,
    movement,
    previous_score,
    row_number() over (
        partition by fiscal_year, quarter order by sort_order
    )::integer as sort_order
from {{ ref('rpt_cabinet__open_risks') }}
where rating in ('Very high', 'High')
