-- Lineage of the transparency-spend pack (contracts/packs.md): for each month it
-- publishes, the loaded payments files whose rows are in the month's publication,
-- matched by the file's SHA-256 that every mart row carries. Read by reports.pack_sources.

with months as (

    select distinct fiscal_year, period, sha256 from {{ ref('transparency_spend') }}

),

files as (

    select file_id, sha256 from {{ source('ops', 'files') }}
    where feed = 'finance/payments' and outcome = 'loaded'

)

select distinct
    'transparency-spend'::text as pack,
    m.fiscal_year::text as fiscal_year,
    -- the pack's folder label: P01..P13
    {{ period_label('m.period') }}::text as period,
    f.file_id::bigint as file_id
from months as m
join files as f on f.sha256 = m.sha256
