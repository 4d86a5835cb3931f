-- Actual year to date (rules.md "Finance"): the ledger sum of periods 1..P per cost centre
-- (P13 included in P13). `actual` is the period's own lines, for reconciliation.

select
    fiscal_year,
    period,
    cost_centre,
    reporting_cost_centre,
    sum(period_amount) as actual,
    sum(amount) as actual_ytd
from {{ ref('int_finance__lines_mapped') }}
where source = 'ledger'
group by 1, 2, 3, 4
