-- The public indicator rows the Cabinet pack lists for a quarter (contracts/packs.md):
-- one row per indicator and period type. A quarter lists its quarter rows; quarter 4
-- also lists the fiscal year's year rows, so the annual indicators are reported beside
-- the quarterly ones. `sort_order` is the order the pack lists them in.

{%- set indicator_columns = [
    'indicator_id', 'period_type', 'period_end', 'indicator_name', 'directorate_code',
    'directorate_name', 'council_plan_priority', 'frequency', 'unit', 'polarity',
    'aggregation', 'decimals', 'value', 'numerator', 'denominator', 'target', 'tolerance',
    'rag', 'direction_of_travel', 'is_provisional', 'is_public', 'commentary', 'sha256'] %}

with results as (

    -- A public pack: an indicator marked not public never reaches it (rules.md
    -- "Publication and disclosure control").
    select * from {{ ref('indicator_results') }}
    where is_public is true

),

listed as (

    select fiscal_year, quarter, {{ indicator_columns | join(', ') }}
    from results
    where period_type = 'quarter'

    union all

    -- the year rows belong to the fiscal year's fourth quarter
    select fiscal_year, 4 as quarter, {{ indicator_columns | join(', ') }}
    from results
    where period_type = 'year'

)

select
    fiscal_year,
    quarter,
    {{ indicator_columns | join(',\n    ') }},
    -- listed under "provisional": a provisional figure that came back (a row not
    -- returned has no figure to be provisional)
    (is_provisional is true and rag <> 'Not returned') as listed_provisional,
    row_number() over (
        partition by fiscal_year, quarter
        order by directorate_name, directorate_code, indicator_name, indicator_id, period_type
    )::integer as sort_order
from listed
