{{ config(severity='error', meta={'severity': 'blocking'}) }}
-- The ledger reconciles, to the penny, for every fiscal year and period loaded:
--   current raw ledger amounts posted in the period = sum of `actual` in int_finance__actuals_ytd
--   = the change in the council's actual_ytd since the previous reported period,
-- and the council's actual_ytd and current budget equal the sums over every
-- finance_outturn line, UNMAPPED included (unmapped lines never drop out of totals).
-- Returns the periods that fail.

with raw_ledger as (

    select fiscal_year, period, sum(amount) as amount
    from {{ source('raw', 'finance__ledger') }}
    where _replaced_at is null
    group by 1, 2

),

raw_budget as (

    select fiscal_year, sum(current_budget) as current_budget
    from {{ source('raw', 'finance__budget') }}
    where _replaced_at is null
    group by 1

),

council as (

    select
        fiscal_year,
        period,
        actual_ytd,
        current_budget,
        actual_ytd - coalesce(lag(actual_ytd) over w, 0) as actual_ytd_change,
        coalesce(lag(period) over w, 0) as previous_period
    from {{ ref('finance_outturn_council') }}
    window w as (partition by fiscal_year order by period)

),

actuals as (

    select fiscal_year, period, sum(actual) as actual
    from {{ ref('int_finance__actuals_ytd') }}
    group by 1, 2

),

lines as (

    select fiscal_year, period, sum(actual_ytd) as actual_ytd, sum(current_budget) as current_budget
    from {{ ref('finance_outturn') }}
    group by 1, 2

),

checks as (

    select
        coalesce(r.fiscal_year, a.fiscal_year) as fiscal_year,
        coalesce(r.period, a.period) as period,
        r.amount as raw_amount,
        a.actual as int_actual,
        c.actual_ytd_change,
        (select sum(x.amount) from raw_ledger as x
         where x.fiscal_year = c.fiscal_year
           and x.period > c.previous_period and x.period <= c.period) as raw_since_previous,
        (select sum(x.amount) from raw_ledger as x
         where x.fiscal_year = c.fiscal_year and x.period <= c.period) as raw_ytd,
        c.actual_ytd as council_actual_ytd,
        l.actual_ytd as lines_actual_ytd,
        c.current_budget as council_budget,
        l.current_budget as lines_budget,
        coalesce(b.current_budget, 0) as raw_budget
    from raw_ledger as r
    full outer join actuals as a on a.fiscal_year = r.fiscal_year and a.period = r.period
    left join council as c
        on c.fiscal_year = coalesce(r.fiscal_year, a.fiscal_year)
        and c.period = coalesce(r.period, a.period)
    left join lines as l on l.fiscal_year = c.fiscal_year and l.period = c.period
    left join raw_budget as b on b.fiscal_year = c.fiscal_year

)

select *
from checks
where raw_amount is distinct from int_actual
    or council_actual_ytd is null
    or actual_ytd_change is distinct from raw_since_previous
    or council_actual_ytd is distinct from raw_ytd
    or lines_actual_ytd is distinct from council_actual_ytd
    or council_budget is distinct from raw_budget
    or lines_budget is distinct from council_budget
