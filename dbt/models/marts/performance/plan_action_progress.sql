-- Council Plan action progress per quarter (docs/performance-marts.md): status as
-- returned, and `overdue` when past its due date at the quarter's end and not complete.

with actions as (

    select * from {{ ref('int_performance__plan_actions_overdue') }}

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    quarter_end::date as quarter_end,
    action_id::text as action_id,
    action_title::text as action_title,
    priority::text as priority,
    lead_directorate_code::text as lead_directorate_code,
    status::text as status,
    due_date::date as due_date,
    percent_complete::numeric as percent_complete,
    is_overdue::boolean as is_overdue,
    reported_status::text as reported_status,
    update_text::text as update_text,
    sha256::text as sha256
from actions
