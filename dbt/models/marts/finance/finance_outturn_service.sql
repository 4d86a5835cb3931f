-- Monthly outturn per service (docs/finance-marts.md): the cost centres that sat in the
-- service at the period's end. Variance, RAG and movement follow the same rules as for a
-- cost centre (the finance_rag macro), applied to the service's totals.

with lines as (

    select
        fiscal_year,
        period,
        period_end,
        service_code,
        max(service_name) as service_name,
        max(directorate_code) as directorate_code,
        max(directorate_name) as directorate_name,
        {{ finance_rollup_totals() }}
    from {{ ref('finance_outturn') }}
    group by 1, 2, 3, 4

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    period_end::date as period_end,
    service_code::text as service_code,
    service_name::text as service_name,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    {{ finance_rollup_figures('service_code') }}
from lines
