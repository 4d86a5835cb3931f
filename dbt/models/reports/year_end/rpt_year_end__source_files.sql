-- Lineage of the year-end summary (contracts/packs.md): per fiscal year, the loaded
-- files its figures rest on. The Council Plan actions at the year's latest quarter and
-- the indicators' year-end rows name their file by hash on each row. The outturn rests
-- on the finance-outturn pack's files at the period it is read at (13, else 12:
-- rpt_year_end__outturn_council); only for a year whose outturn is shown.

with actions as (

    select a.fiscal_year, a.sha256
    from {{ ref('plan_action_progress') }} as a
    join (select distinct fiscal_year, quarter
          from {{ ref('rpt_year_end__plan_actions_by_priority') }}) as y
        on y.fiscal_year = a.fiscal_year and y.quarter = a.quarter

),

hashes as (

    select fiscal_year, sha256 from actions
    union
    select fiscal_year, sha256 from {{ ref('rpt_year_end__indicators') }}

),

by_hash as (

    select h.fiscal_year, f.file_id
    from hashes as h
    join {{ source('ops', 'files') }} as f
        on f.sha256 = h.sha256 and f.outcome = 'loaded'

),

finance_files as (

    select o.fiscal_year, f.file_id
    from {{ ref('rpt_year_end__outturn_council') }} as o
    join {{ ref('rpt_finance__source_files') }} as f
        on f.fiscal_year = o.fiscal_year and f.period = {{ period_label('o.period') }}

),

files as (

    select * from by_hash
    union
    select * from finance_files

)

select
    'year-end'::text as pack,
    fiscal_year::text as fiscal_year,
    'year'::text as period,
    file_id::bigint as file_id
from files
