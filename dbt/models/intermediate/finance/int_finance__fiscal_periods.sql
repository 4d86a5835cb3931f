-- Calendar (rules.md): the periods to report and when each ends. Period 1 is April,
-- 12 is March; 13 holds year-end adjustments and ends on 31 March. A period is reported
-- when any ledger lines or forecast submissions are loaded for it (so P13 only with data).

with loaded as (

    select fiscal_year, period from {{ ref('stg_finance__ledger') }}
    union
    select fiscal_year, period from {{ ref('stg_finance__forecast') }}

),

dated as (

    select
        fiscal_year,
        period,
        case
            when period = 13 then make_date(left(fiscal_year, 4)::int + 1, 3, 31)
            else (make_date(left(fiscal_year, 4)::int + (period > 9)::int, (period + 2) % 12 + 1, 1)
                  + interval '1 month' - interval '1 day')::date
        end as period_end
    from loaded

)

select
    fiscal_year,
    period,
    period_end,
    -- the first instant after the period's last day, London time
    ((period_end + 1)::timestamp at time zone 'Europe/London') as period_end_at
from dated
