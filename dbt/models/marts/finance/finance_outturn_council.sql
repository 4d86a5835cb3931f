-- The council's monthly outturn (docs/finance-marts.md): every line, UNMAPPED included,
-- so the totals always equal the ledger and budget as loaded.

with lines as (

    select
        fiscal_year,
        period,
        period_end,
        {{ finance_rollup_totals() }}
    from {{ ref('finance_outturn') }}
    group by 1, 2, 3

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    period_end::date as period_end,
    {{ finance_rollup_figures("'council'") }}
from lines
