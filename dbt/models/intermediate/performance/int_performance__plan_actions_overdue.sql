-- Council Plan actions (rules.md): an action past its due date at the quarter's end and
-- not `complete` counts as `overdue`, whatever status it was returned with.

with actions as (

    select * from {{ ref('stg_performance__plan_actions') }}

),

dated as (

    select
        *,
        {{ fiscal_period_end('fiscal_year', '3 * quarter') }} as quarter_end
    from actions

)

select
    *,
    coalesce(due_date < quarter_end and status <> 'complete', false) as is_overdue,
    case when due_date < quarter_end and status <> 'complete' then 'overdue' else status end
        as reported_status
from dated
