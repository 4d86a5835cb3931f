-- Unmapped lines (rules.md "Finance"), listed for the pack's data-quality section: as at
-- each reporting period, the ledger lines (periods 1..P), budget lines and forecasts used
-- whose cost centre or account is not in the reference data in force at the period's end.
-- Their amounts are the UNMAPPED line's actual_ytd, current_budget and forecasts.

select
    fiscal_year,
    period,
    source,
    cost_centre,
    account_code,
    reason,
    sum(lines)::bigint as lines,
    sum(amount) as amount
from {{ ref('int_finance__lines_mapped') }}
where reason is not null
group by 1, 2, 3, 4, 5, 6

union all

select
    fiscal_year,
    period,
    'forecast',
    cost_centre,
    null,
    'cost centre not in reference data',
    count(*),
    sum(forecast_outturn)
from {{ ref('int_finance__forecast_selection') }}
where reporting_cost_centre = 'UNMAPPED'
group by 1, 2, 3, 4, 5, 6
