-- The audit-committee pack's corporate risk heat map (rules.md "Risk": a 5 x 5 grid of
-- open risks by current likelihood and impact) at the quarter's register snapshot.
-- One row per fiscal year, quarter and cell, likelihood 5 down to 1 and impact 1 to 5,
-- with the cell's score, rating, number of open corporate risks and their ids.
-- The rating is the configured band of the cell's score (risk_rating): the mart rates
-- each risk's current score with the same dbt vars, so a cell's risks always carry the
-- cell's rating (the pack used to prefer the mart's rating of the score, and it is the
-- same word); an empty cell is rated too, so the grid reads as a key.

with snapshots as (

    select fiscal_year, quarter from {{ ref('rpt_audit__snapshots') }}
    where risk_snapshot_date is not null

),

open_risks as (

    select fiscal_year, quarter, risk_id, current_likelihood, current_impact
    from {{ ref('rpt_audit__risk_register') }}
    where listed_as = 'open'

),

cells as (

    {{ risk_heat_map_cells('open_risks', 'snapshots', ['fiscal_year', 'quarter']) }}

),

ordered as (

    -- Rows likelihood 5 (top) down to 1, cells impact 1 to 5 within each row.
    select
        *,
        row_number() over (
            partition by fiscal_year, quarter
            order by likelihood desc, impact
        ) as sort_order
    from cells

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    likelihood::integer as likelihood,
    impact::integer as impact,
    score::integer as score,
    rating::text as rating,
    risk_count::integer as risk_count,
    risk_ids::text[] as risk_ids,
    sort_order::integer as sort_order
from ordered
