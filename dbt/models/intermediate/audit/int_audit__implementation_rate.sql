-- Implementation rate rule (rules.md "Internal audit"): of the recommendations due by
-- the snapshot date, implemented / (implemented + overdue + open and due), per priority.
-- `open and due` is open and due on the snapshot date itself (due, not yet overdue);
-- `risk accepted` is due but in neither side of the rate. Every priority has a row in
-- every snapshot, zeros included, so a pack's table never loses a line.

with recommendations as (

    select d.snapshot_date, d.priority, d.status, d.is_due, o.is_overdue
    from {{ ref('int_audit__recommendation_due_dates') }} as d
    join {{ ref('int_audit__recommendations_overdue') }} as o
        on o.snapshot_date = d.snapshot_date and o.recommendation_id = d.recommendation_id

),

grid as (

    select s.snapshot_date, p.priority
    from (select distinct snapshot_date from recommendations) as s
    cross join (values ('high'), ('medium'), ('low')) as p (priority)

),

counts as (

    select
        g.snapshot_date,
        g.priority,
        count(r.status) filter (where r.is_due) as due,
        count(r.status) filter (where r.is_due and r.status = 'implemented') as implemented,
        count(r.status) filter (where r.is_overdue) as overdue,
        count(r.status) filter (where r.is_due and r.status = 'open' and not r.is_overdue)
            as open_and_due
    from grid as g
    left join recommendations as r
        on r.snapshot_date = g.snapshot_date and r.priority = g.priority
    group by 1, 2

)

select
    snapshot_date,
    priority,
    due,
    implemented,
    overdue,
    open_and_due,
    {{ audit_share_pct('implemented', 'implemented + overdue + open_and_due') }}
        as implementation_rate
from counts
