-- Every version of every indicator definition with when it was in force, and its target
-- for each fiscal year (rules.md "Indicators": a target or polarity changed mid-year
-- applies from when the changed definition arrived).
-- Staging keeps current rows only, so this reads the raw feed, replaced rows included, as
-- macros/reference_history.sql does for reference data: performance/indicators is a
-- whole-feed snapshot, so valid_from is the arrival (ops.files.arrived_at) of the file
-- that brought a version and valid_to the arrival of the next definitions file.
-- Targets come either as target_<year> columns (gathered by ingestion into `targets`
-- jsonb) or as a `target` with its `fiscal_year`, one row per year: both are read.
-- Grain: one row per (file_id, indicator_id, fiscal_year). The row with an empty
-- fiscal_year always exists and holds the version's attributes, with the target that
-- applies to any year (a `target` given without a fiscal_year); the other rows hold
-- the year's own target and tolerance.

with versions as (

    select * from {{ source('raw', 'performance__indicators') }}

),

files as (

    select file_id, arrived_at from {{ source('ops', 'files') }}

),

snapshots as (

    select
        v.file_id,
        f.arrived_at as valid_from,
        lead(f.arrived_at) over (order by f.arrived_at, v.file_id) as next_arrived_at
    from (select distinct _file_id as file_id from versions) as v
    join files as f on f.file_id = v.file_id

),

-- the version's attributes: from its year-less row when it has one, else its latest year's
attributes as (

    select distinct on (_file_id, indicator_id)
        _file_id as file_id,
        indicator_id,
        indicator_name,
        directorate_code,
        frequency,
        polarity,
        unit,
        aggregation,
        decimals,
        nullif(trim(council_plan_priority), '') as council_plan_priority,
        owner,
        is_public,
        case when fiscal_year is null then target end as target,
        tolerance,
        _sha256 as sha256,
        _replaced_at as replaced_at
    from versions
    order by _file_id, indicator_id, fiscal_year desc nulls first, _line_number desc

),

year_targets as (

    select distinct on (file_id, indicator_id, fiscal_year)
        file_id, indicator_id, fiscal_year, target, tolerance
    from (
        -- a `target` column with its fiscal_year wins over a target_<year> column
        select _file_id as file_id, indicator_id, fiscal_year, target, tolerance, 1 as preference
        from versions
        where fiscal_year is not null
        union all
        select v._file_id, v.indicator_id, t.key, nullif(trim(t.value #>> '{}'), '')::numeric,
               v.tolerance, 2
        from versions as v
        cross join lateral jsonb_each(
            case when jsonb_typeof(v.targets) = 'object' then v.targets else '{}'::jsonb end
        ) as t
    ) as both_forms
    order by file_id, indicator_id, fiscal_year, preference

),

rows_per_year as (

    select
        a.file_id,
        a.indicator_id,
        null::text as fiscal_year,
        a.target,
        a.tolerance
    from attributes as a
    union all
    select
        y.file_id,
        y.indicator_id,
        y.fiscal_year,
        y.target,
        coalesce(y.tolerance, a.tolerance)
    from year_targets as y
    join attributes as a on a.file_id = y.file_id and a.indicator_id = y.indicator_id

)

select
    r.file_id,
    r.indicator_id,
    r.fiscal_year,
    r.target,
    r.tolerance,
    a.indicator_name,
    a.directorate_code,
    a.frequency,
    a.polarity,
    a.unit,
    a.aggregation,
    a.decimals,
    a.council_plan_priority,
    a.owner,
    a.is_public,
    a.sha256,
    s.valid_from,
    case when a.replaced_at is not null then s.next_arrived_at end as valid_to,
    a.replaced_at is null as is_current
from rows_per_year as r
join attributes as a on a.file_id = r.file_id and a.indicator_id = r.indicator_id
join snapshots as s on s.file_id = r.file_id
