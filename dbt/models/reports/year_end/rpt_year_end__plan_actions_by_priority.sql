-- Council Plan actions completed by priority (rules.md "Council Plan actions") for the
-- Chief Executive's year-end summary: at the latest quarter of the fiscal year with
-- updates (quarter 4 once it is in; until then the latest so far), each priority's
-- actions and how many are `complete`, then the `All priorities` total line. An
-- action with no priority counts under `No Council Plan priority`. Priorities are in
-- alphabetical order ignoring case, the total last.

with actions as (

    select * from {{ ref('plan_action_progress') }}

),

latest_quarter as (

    select fiscal_year, max(quarter) as quarter
    from actions
    group by fiscal_year

),

at_year_end as (

    select
        a.fiscal_year,
        a.quarter,
        coalesce(a.priority, 'No Council Plan priority') as priority,
        a.reported_status
    from actions as a
    join latest_quarter as l on l.fiscal_year = a.fiscal_year and l.quarter = a.quarter

),

by_priority as (

    select
        fiscal_year,
        quarter,
        priority,
        false as is_total,
        count(*) as actions,
        count(*) filter (where reported_status = 'complete') as complete
    from at_year_end
    group by fiscal_year, quarter, priority

),

every_priority as (

    select
        fiscal_year,
        quarter,
        'All priorities' as priority,
        true as is_total,
        count(*) as actions,
        count(*) filter (where reported_status = 'complete') as complete
    from at_year_end
    group by fiscal_year, quarter

),

lines as (

    select * from by_priority
    union all
    select * from every_priority

)

select
    fiscal_year::text as fiscal_year,
    quarter::int as quarter,
    priority::text as priority,
    is_total::boolean as is_total,
    actions::int as actions,
    complete::int as complete,
    row_number() over (
        partition by fiscal_year
        order by is_total, lower(priority) collate "C", priority collate "C"
    )::int as sort_order
from lines
