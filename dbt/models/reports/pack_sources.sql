-- Lineage (contracts/packs.md): per pack and period, the loaded files its figures rest
-- on, with their feed, name, hash and the ingestion run that loaded them. Each pack's
-- rpt_<pack>__source_files says which files (by file_id) its report rows come from;
-- this joins them to ops.files, so no pack reads raw or ops itself.
-- period is the pack's folder label: P01..P13, Q1..Q4 or year.

{%- set per_pack = [
    'rpt_cabinet__source_files',
    'rpt_finance__source_files',
    'rpt_transparency__source_files',
    'rpt_audit__source_files',
    'rpt_scrutiny__source_files',
    'rpt_year_end__source_files',
] %}

with pack_files as (

{%- for model in per_pack %}
    select pack, fiscal_year, period, file_id from {{ ref(model) }}
    {% if not loop.last %}union{% endif %}
{%- else %}
    select null::text as pack, null::text as fiscal_year, null::text as period,
           null::bigint as file_id
    where false
{%- endfor %}

),

files as (

    select * from {{ source('ops', 'files') }}
    where outcome = 'loaded'

)

select distinct
    p.pack,
    p.fiscal_year,
    p.period,
    f.file_id,
    f.feed,
    f.file_name,
    f.sha256,
    f.run_id,
    f.rows_loaded,
    f.rows_quarantined
from pack_files as p
join files as f on f.file_id = p.file_id
