-- Lineage of the year-end summary (contracts/packs.md): per fiscal year, the loaded
-- files its figures rest on. The Council Plan actions at the year's latest quarter and
-- the indicators' year-end rows name their file by hash on each row. The outturn rests
-- on the ledger lines of periods 1 to the period read (13, else 12), the year's budget,
-- the forecasts up to that period, and the current reference data, as the finance
-- outturn does; only for a year whose outturn is shown.

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

outturn as (

    select fiscal_year, period from {{ ref('rpt_year_end__outturn_council') }}

),

finance_files as (

    select o.fiscal_year, l.file_id
    from outturn as o
    join {{ ref('stg_finance__ledger') }} as l
        on l.fiscal_year = o.fiscal_year and l.period <= o.period
    union
    select o.fiscal_year, b.file_id
    from outturn as o
    join {{ ref('stg_finance__budget') }} as b on b.fiscal_year = o.fiscal_year
    union
    select o.fiscal_year, f.file_id
    from outturn as o
    join {{ ref('stg_finance__forecast') }} as f
        on f.fiscal_year = o.fiscal_year and f.period <= o.period
    union
    -- reference data keeps every version: the current rows are those not replaced
    select o.fiscal_year, r.file_id
    from outturn as o
    cross join (
        select file_id from {{ ref('stg_reference__directorates') }} where replaced_at is null
        union
        select file_id from {{ ref('stg_reference__services') }} where replaced_at is null
        union
        select file_id from {{ ref('stg_reference__cost_centres') }} where replaced_at is null
        union
        select file_id from {{ ref('stg_reference__accounts') }} where replaced_at is null
    ) as r

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
