-- Unmapped rule (rules.md "Finance"): every ledger and budget line, judged against the
-- reference data in force at the reporting period's end. A line whose cost centre or
-- account is unknown is kept under reporting_cost_centre = 'UNMAPPED' with its reason,
-- never dropped. Ledger lines are those of periods 1..P (year to date); budget lines
-- are the year's. Lines are summed per cost centre and account to keep this small.

with periods as (

    select * from {{ ref('int_finance__fiscal_periods') }}

),

org as (

    select fiscal_year, period, cost_centre from {{ ref('int_reference__org_at_period_end') }}

),

accounts as (

    select fiscal_year, period, account_code from {{ ref('int_reference__accounts_at_period_end') }}

),

ledger as (

    select fiscal_year, period, cost_centre, account_code, count(*) as lines, sum(amount) as amount
    from {{ ref('stg_finance__ledger') }}
    group by 1, 2, 3, 4

),

budget as (

    select fiscal_year, cost_centre, account_code, count(*) as lines,
           sum(current_budget) as amount
    from {{ ref('stg_finance__budget') }}
    group by 1, 2, 3

),

lines as (

    select p.fiscal_year, p.period, 'ledger' as source, l.cost_centre, l.account_code,
           sum(l.lines) as lines, sum(l.amount) as amount,
           coalesce(sum(l.amount) filter (where l.period = p.period), 0) as period_amount
    from periods as p
    join ledger as l on l.fiscal_year = p.fiscal_year and l.period <= p.period
    group by 1, 2, 3, 4, 5

    union all

    select p.fiscal_year, p.period, 'budget', b.cost_centre, b.account_code,
           b.lines, b.amount, null
    from periods as p
    join budget as b on b.fiscal_year = p.fiscal_year

),

judged as (

    select
        lines.*,
        case
            when org.cost_centre is null then 'cost centre not in reference data'
            when accounts.account_code is null then 'account not in reference data'
        end as reason
    from lines
    left join org
        on org.fiscal_year = lines.fiscal_year and org.period = lines.period
        and org.cost_centre = lines.cost_centre
    left join accounts
        on accounts.fiscal_year = lines.fiscal_year and accounts.period = lines.period
        and accounts.account_code = lines.account_code

)

select
    fiscal_year,
    period,
    source,
    cost_centre,
    account_code,
    case when reason is null then cost_centre else 'UNMAPPED' end as reporting_cost_centre,
    reason,
    lines::bigint as lines,
    amount,
    period_amount
from judged
