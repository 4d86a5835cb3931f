-- Lineage of the finance-outturn pack (contracts/packs.md): for each period the pack
-- reports, the loaded files whose current rows its figures rest on. Read by
-- reports.pack_sources. Staging keeps only current rows (no later file replaced them).
--   ledger:    every period up to P of the year (actual year to date sums periods 1..P)
--   budget:    the year's
--   forecast:  every period up to P (a cost centre's forecast may be carried forward)
--   reference: every current snapshot (directorates, services, cost centres, accounts)

with periods as (

    -- The periods the pack reports: those with a council outturn row.
    select distinct fiscal_year, period from {{ ref('finance_outturn_council') }}

),

ledger as (

    select distinct fiscal_year, period, file_id from {{ ref('stg_finance__ledger') }}

),

budget as (

    select distinct fiscal_year, file_id from {{ ref('stg_finance__budget') }}

),

forecast as (

    select distinct fiscal_year, period, file_id from {{ ref('stg_finance__forecast') }}

),

reference as (

    select file_id from {{ ref('stg_reference__directorates') }} where replaced_at is null
    union
    select file_id from {{ ref('stg_reference__services') }} where replaced_at is null
    union
    select file_id from {{ ref('stg_reference__cost_centres') }} where replaced_at is null
    union
    select file_id from {{ ref('stg_reference__accounts') }} where replaced_at is null

),

files as (

    select p.fiscal_year, p.period, l.file_id
    from periods as p
    join ledger as l on l.fiscal_year = p.fiscal_year and l.period <= p.period
    union
    select p.fiscal_year, p.period, b.file_id
    from periods as p
    join budget as b on b.fiscal_year = p.fiscal_year
    union
    select p.fiscal_year, p.period, f.file_id
    from periods as p
    join forecast as f on f.fiscal_year = p.fiscal_year and f.period <= p.period
    union
    select p.fiscal_year, p.period, r.file_id
    from periods as p
    cross join reference as r

)

select
    'finance-outturn'::text as pack,
    fiscal_year::text as fiscal_year,
    -- the pack's folder label: P01..P13
    {{ period_label('period') }}::text as period,
    file_id::bigint as file_id
from files
