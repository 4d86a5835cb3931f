-- Where each cost centre sat at each reporting period's end: its service and directorate
-- from the reference snapshots in force then (history kept), so a cost centre that moved
-- service mid-year reports under its old service for earlier periods.
-- A cost centre whose service or directorate is missing from the snapshot is incomplete
-- reference data and is left out here, so its lines fall to UNMAPPED, never lost.

with periods as (

    select * from {{ ref('int_finance__fiscal_periods') }}

),

cost_centres as (
    {{ reference_at_period_end(ref('int_reference__cost_centres_history'), 'periods') }}
),

services as (
    {{ reference_at_period_end(ref('int_reference__services_history'), 'periods') }}
),

directorates as (
    {{ reference_at_period_end(ref('int_reference__directorates_history'), 'periods') }}
)

select
    p.fiscal_year,
    p.period,
    p.period_end,
    c.cost_centre,
    c.cost_centre_name,
    c.budget_manager,
    s.service_code,
    s.service_name,
    d.directorate_code,
    d.directorate_name,
    (c.active_from is null or c.active_from <= p.period_end)
        and (c.active_to is null or c.active_to >= p.period_end) as is_active
from periods as p
join cost_centres as c on c.fiscal_year = p.fiscal_year and c.period = p.period
join services as s
    on s.fiscal_year = p.fiscal_year and s.period = p.period and s.service_code = c.service_code
join directorates as d
    on d.fiscal_year = p.fiscal_year and d.period = p.period
    and d.directorate_code = s.directorate_code
