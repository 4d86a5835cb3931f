-- Council Plan actions progress by priority (rules.md "Council Plan actions": count of
-- actions by status, for the quarter; an action past its due date and not complete
-- counts as `overdue`, whatever its status - marts.plan_action_progress.reported_status
-- holds that). One row per line of the pack's table: priorities by name (ignoring
-- case), then the 'All priorities' total line. `total` counts every action of the line,
-- so a status outside the six would show as a total that does not add up (data test).

with actions as (

    -- The mart has no public/restricted marking today; were one added, a row marked
    -- not public must be left out here (rules.md "Publication and disclosure control").
    select * from {{ ref('plan_action_progress') }}

),

lines as (

    select
        fiscal_year,
        quarter,
        priority,
        count(*) filter (where reported_status = 'complete')::integer as complete,
        count(*) filter (where reported_status = 'on track')::integer as on_track,
        count(*) filter (where reported_status = 'at risk')::integer as at_risk,
        count(*) filter (where reported_status = 'off track')::integer as off_track,
        count(*) filter (where reported_status = 'not started')::integer as not_started,
        count(*) filter (where reported_status = 'overdue')::integer as overdue,
        count(*)::integer as total
    from actions
    group by fiscal_year, quarter, priority

),

ordered as (

    select
        *,
        row_number() over (
            partition by fiscal_year, quarter
            order by lower(priority) collate "C", priority collate "C"
        )::integer as sort_order
    from lines

),

total as (

    select
        fiscal_year,
        quarter,
        'All priorities'::text as priority,
        sum(complete)::integer as complete,
        sum(on_track)::integer as on_track,
        sum(at_risk)::integer as at_risk,
        sum(off_track)::integer as off_track,
        sum(not_started)::integer as not_started,
        sum(overdue)::integer as overdue,
        sum(total)::integer as total,
        (count(*) + 1)::integer as sort_order
    from lines
    group by fiscal_year, quarter

)

select
    fiscal_year, quarter, priority, false as is_total,
    complete, on_track, at_risk, off_track, not_started, overdue, total, sort_order
from ordered

union all

select
    fiscal_year, quarter, priority, true as is_total,
    complete, on_track, at_risk, off_track, not_started, overdue, total, sort_order
from total
