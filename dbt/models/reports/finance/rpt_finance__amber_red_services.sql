-- The services the finance-outturn pack shows in detail (rules.md "Finance", RAG): every
-- Amber or Red service of the period, down to its cost centres and their commentary.
-- One row per service, in the order of the pack's service table.

with services as (

    select * from {{ ref('finance_outturn_service') }}

),

flagged as (

    -- Green services are summarised in the directorate table only; a service with no
    -- RAG cannot be judged and is not flagged.
    select * from services
    where rag in ('Amber', 'Red')

),

ordered as (

    -- The order of the service table: Unmapped last at both levels, then by name, the
    -- code breaking ties.
    select
        *,
        row_number() over (
            partition by fiscal_year, period
            order by directorate_code = 'UNMAPPED', directorate_name, directorate_code,
                     service_code = 'UNMAPPED', service_name, service_code
        ) as sort_order
    from flagged

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    service_code::text as service_code,
    service_name::text as service_name,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    rag::text as rag,
    sort_order::integer as sort_order
from ordered
