-- The audit-committee pack's table of overdue recommendations by directorate and
-- priority (rules.md "Internal audit"), with its "All directorates" line: one line per
-- directorate that has an overdue recommendation, then the total line (is_total).
-- One row per fiscal year, quarter and directorate, plus one total row per fiscal year
-- and quarter with a recommendations snapshot (all zeros when none is overdue).
-- The total line is counted from the recommendations themselves, not by adding up the
-- directorate lines, so the data test that they agree checks something.

with snapshots as (

    select fiscal_year, quarter from {{ ref('rpt_audit__snapshots') }}
    where recommendations_snapshot_date is not null

),

overdue as (

    select * from {{ ref('rpt_audit__overdue_recommendations') }}

),

by_directorate as (

    select
        fiscal_year,
        quarter,
        directorate_code,
        false as is_total,
        count(*) filter (where priority = 'high') as high,
        count(*) filter (where priority = 'medium') as medium,
        count(*) filter (where priority = 'low') as low,
        count(*) as total
    from overdue
    group by fiscal_year, quarter, directorate_code

),

all_directorates as (

    select
        s.fiscal_year,
        s.quarter,
        null::text as directorate_code,
        true as is_total,
        count(o.recommendation_id) filter (where o.priority = 'high') as high,
        count(o.recommendation_id) filter (where o.priority = 'medium') as medium,
        count(o.recommendation_id) filter (where o.priority = 'low') as low,
        count(o.recommendation_id) as total
    from snapshots as s
    left join overdue as o on o.fiscal_year = s.fiscal_year and o.quarter = s.quarter
    group by s.fiscal_year, s.quarter

),

lines as (

    select * from by_directorate
    union all
    select * from all_directorates

),

ordered as (

    -- Directorates by code (byte order, as the pack listed them), the total line last.
    select
        *,
        row_number() over (
            partition by fiscal_year, quarter
            order by is_total, directorate_code collate "C"
        ) as sort_order
    from lines

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    directorate_code::text as directorate_code,
    is_total::boolean as is_total,
    high::integer as high,
    medium::integer as medium,
    low::integer as low,
    total::integer as total,
    sort_order::integer as sort_order
from ordered
