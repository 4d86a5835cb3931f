-- Recommendation implementation rate per snapshot and priority (docs/risk-audit-marts.md).

select
    snapshot_date::date as snapshot_date,
    priority::text as priority,
    due::integer as due,
    implemented::integer as implemented,
    overdue::integer as overdue,
    open_and_due::integer as open_and_due,
    implementation_rate::numeric as implementation_rate
from {{ ref('int_audit__implementation_rate') }}
