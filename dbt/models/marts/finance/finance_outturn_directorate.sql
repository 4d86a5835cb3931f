-- Monthly outturn per directorate (docs/finance-marts.md), UNMAPPED for lines outside
-- the reference data; same variance, RAG and movement rules as every other level.

with lines as (

    select
        fiscal_year,
        period,
        period_end,
        directorate_code,
        max(directorate_name) as directorate_name,
        {{ finance_rollup_totals() }}
    from {{ ref('finance_outturn') }}
    group by 1, 2, 3, 4

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    period_end::date as period_end,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    {{ finance_rollup_figures('directorate_code') }}
from lines
