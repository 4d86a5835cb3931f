-- Current budget (rules.md "Finance") per cost centre for each reporting period: the
-- year's current budget lines, under UNMAPPED where the cost centre or account is unknown.

select
    fiscal_year,
    period,
    cost_centre,
    reporting_cost_centre,
    sum(amount) as current_budget
from {{ ref('int_finance__lines_mapped') }}
where source = 'budget'
group by 1, 2, 3, 4
