-- Lineage of the scrutiny pack (contracts/packs.md): per quarter, the loaded files its
-- figures rest on. Projects, indicators and consultations name their file by hash on
-- each row shown; an indicator that counts people (unit `number`) also rests on the
-- year's earlier values its disclosure control reads. The contact and training marts
-- carry no file hash, so their files are found by date: the contact files with a
-- contact on a London day from 1 April to the quarter's end, and the training files of
-- every snapshot on or before the quarter's end, for a quarter whose pack shows that
-- section. A later file for a later day never changes an earlier quarter's lineage.

with quarters as (

    select * from {{ ref('int_calendar__fiscal_quarters') }}

),

indicators as (

    select * from {{ ref('rpt_scrutiny__indicators') }}

),

-- the year's quarter and year values of each indicator that counts people
people_year_values as (

    select distinct i.fiscal_year, i.quarter, r.sha256
    from (
        select distinct fiscal_year, quarter, indicator_id
        from indicators
        where unit = 'number'
    ) as i
    join {{ ref('indicator_results') }} as r
        on r.indicator_id = i.indicator_id
       and r.fiscal_year = i.fiscal_year
       and r.is_public is true
       and r.period_type in ('quarter', 'year')
       and (r.period_type = 'year' or r.quarter <= i.quarter)

),

hashes as (

    select fiscal_year, quarter, sha256 from {{ ref('rpt_scrutiny__projects') }}
    union
    select fiscal_year, quarter, sha256 from indicators
    union
    select fiscal_year, quarter, sha256 from people_year_values
    union
    select fiscal_year, quarter, sha256 from {{ ref('rpt_scrutiny__consultations') }}

),

by_hash as (

    select h.fiscal_year, h.quarter, f.file_id
    from hashes as h
    join {{ source('ops', 'files') }} as f
        on f.sha256 = h.sha256 and f.outcome = 'loaded'

),

-- each contact file's London days (received_at is a timestamp with time zone)
contact_file_days as (

    select distinct
        file_id,
        (received_at at time zone 'Europe/London')::date as contact_day
    from {{ ref('stg_customer__contacts') }}

),

contact_files as (

    select distinct q.fiscal_year, q.quarter, d.file_id
    from (select distinct fiscal_year, quarter from {{ ref('rpt_scrutiny__contact_months') }})
        as shown
    join quarters as q on q.fiscal_year = shown.fiscal_year and q.quarter = shown.quarter
    join contact_file_days as d
        on d.contact_day between q.year_start and q.quarter_end

),

training_files as (

    select distinct q.fiscal_year, q.quarter, t.file_id
    from (select distinct fiscal_year, quarter from {{ ref('rpt_scrutiny__training') }})
        as shown
    join quarters as q on q.fiscal_year = shown.fiscal_year and q.quarter = shown.quarter
    join (select distinct file_id, as_at_date from {{ ref('stg_workforce__training') }}) as t
        on t.as_at_date <= q.quarter_end

),

files as (

    select * from by_hash
    union
    select * from contact_files
    union
    select * from training_files
    union
    -- the benchmark files "How we compare" rests on
    select fiscal_year, quarter, file_id from {{ ref('rpt_scrutiny__benchmark_files') }}

)

select
    'scrutiny-quarterly'::text as pack,
    fiscal_year::text as fiscal_year,
    ('Q' || quarter)::text as period,
    file_id::bigint as file_id
from files
