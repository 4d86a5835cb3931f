-- Lineage of the Cabinet pack (contracts/packs.md: the source file hashes its figures
-- come from), per quarter: the files of
--   * the indicator rows it uses: the quarter's (rpt_cabinet__indicators), the previous
--     quarter's it compares with (rpt_cabinet__rag_changes reads them) and the Red
--     indicators' trend rows (rpt_cabinet__red_indicator_trends);
--   * the quarter's Council Plan action rows;
--   * the open corporate risks of the register it reads (rpt_cabinet__open_risks);
--   * every current indicator-definition file (names, targets and polarity come from
--     them), whatever the quarter;
--   * when the finance summary is there, the finance-outturn pack's files at the
--     quarter's last period (rpt_finance__source_files: the outturn there rests on the
--     same files);
--   * the benchmark files of "How we compare" (rpt_cabinet__benchmark_files).
-- The rows' files are found by their SHA-256 among the loaded files; the definitions
-- files by the staging model's current rows. pack_sources joins these to ops.files.

with quarters as (

    select
        q.fiscal_year,
        q.quarter,
        q.quarter * 3 as period,
        p.fiscal_year as previous_fiscal_year,
        p.quarter as previous_quarter
    from {{ ref('int_calendar__fiscal_quarters') }} as q
    left join {{ ref('int_calendar__fiscal_quarters') }} as p
        on p.quarter_end = q.quarter_start - 1

),

indicators as (

    select fiscal_year, quarter, period_type, sha256
    from {{ ref('rpt_cabinet__indicators') }}

),

row_hashes as (

    select fiscal_year, quarter, sha256 from indicators

    union

    select q.fiscal_year, q.quarter, i.sha256
    from quarters as q
    join indicators as i
        on i.fiscal_year = q.previous_fiscal_year and i.quarter = q.previous_quarter
    where i.period_type = 'quarter'

    union

    select fiscal_year, quarter, sha256
    from {{ ref('rpt_cabinet__red_indicator_trends') }}

    union

    select fiscal_year, quarter, sha256
    from {{ ref('plan_action_progress') }}

    union

    select fiscal_year, quarter, sha256
    from {{ ref('rpt_cabinet__open_risks') }}

),

loaded as (

    select file_id, sha256
    from {{ source('ops', 'files') }}
    where outcome = 'loaded'

),

row_files as (

    select h.fiscal_year, h.quarter, f.file_id
    from row_hashes as h
    join loaded as f on f.sha256 = h.sha256

),

definition_files as (

    select distinct file_id
    from {{ ref('stg_performance__indicators') }}

),

finance_files as (

    -- The finance lineage has rows only for a period with a council outturn row, which is
    -- exactly when rpt_cabinet__finance_summary has its council (total) line.
    select q.fiscal_year, q.quarter, f.file_id
    from quarters as q
    join {{ ref('rpt_finance__source_files') }} as f
        on f.fiscal_year = q.fiscal_year and f.period = {{ period_label('q.period') }}

),

files as (

    select fiscal_year, quarter, file_id from row_files
    union
    select q.fiscal_year, q.quarter, d.file_id
    from quarters as q
    cross join definition_files as d
    union
    select fiscal_year, quarter, file_id from finance_files
    union
    -- the benchmark files "How we compare" rests on
    select fiscal_year, quarter, file_id from {{ ref('rpt_cabinet__benchmark_files') }}

)

select
    'cabinet-quarterly'::text as pack,
    fiscal_year::text as fiscal_year,
    ('Q' || quarter)::text as period,
    file_id::bigint as file_id
from files
