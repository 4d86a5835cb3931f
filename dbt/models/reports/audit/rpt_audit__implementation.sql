-- The audit-committee pack's implementation table (rules.md "Internal audit":
-- implementation rate = implemented / (implemented + overdue + open and due) for the
-- recommendations due by the snapshot date): the mart's line per priority at the
-- quarter's implementation snapshot, as the mart has it, and the "All priorities" line
-- (is_total), whose rate is worked out from its own totals, never averaged.
-- One row per fiscal year, quarter and priority, high first, then the total row.

with snapshots as (

    select fiscal_year, quarter, implementation_snapshot_date
    from {{ ref('rpt_audit__snapshots') }}
    where implementation_snapshot_date is not null

),

priorities as (

    select
        s.fiscal_year,
        s.quarter,
        i.priority,
        false as is_total,
        i.due,
        i.implemented,
        i.overdue,
        i.open_and_due,
        -- the mart's rate, at the mart's precision
        i.implementation_rate
    from snapshots as s
    join {{ ref('audit_implementation') }} as i
        on i.snapshot_date = s.implementation_snapshot_date

),

totals as (

    select
        fiscal_year,
        quarter,
        coalesce(sum(due), 0) as due,
        coalesce(sum(implemented), 0) as implemented,
        coalesce(sum(overdue), 0) as overdue,
        coalesce(sum(open_and_due), 0) as open_and_due
    from priorities
    group by fiscal_year, quarter

),

all_priorities as (

    select
        fiscal_year,
        quarter,
        null::text as priority,
        true as is_total,
        due,
        implemented,
        overdue,
        open_and_due,
        -- A percentage to one decimal place, rounded half up; empty with nothing due.
        case when implemented + overdue + open_and_due > 0
             then round(implemented * 100.0 / (implemented + overdue + open_and_due), 1)
        end as implementation_rate
    from totals

),

lines as (

    select * from priorities
    union all
    select * from all_priorities

),

ordered as (

    -- high, medium, low (any other priority after them, by name), the total line last.
    select
        *,
        row_number() over (
            partition by fiscal_year, quarter
            order by is_total, array_position(array['high', 'medium', 'low'], priority),
                     priority
        ) as sort_order
    from lines

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    priority::text as priority,
    is_total::boolean as is_total,
    due::integer as due,
    implemented::integer as implemented,
    overdue::integer as overdue,
    open_and_due::integer as open_and_due,
    implementation_rate::numeric as implementation_rate,
    sort_order::integer as sort_order
from ordered
