-- Lines outside the reference data (docs/finance-marts.md), for the pack's data-quality
-- section; they are counted in the UNMAPPED outturn line, never dropped.

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    source::text as source,
    cost_centre::text as cost_centre,
    account_code::text as account_code,
    reason::text as reason,
    lines::bigint as lines,
    amount::numeric as amount
from {{ ref('int_finance__unmapped_lines') }}
