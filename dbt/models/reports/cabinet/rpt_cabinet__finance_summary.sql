-- The Cabinet pack's finance summary (contracts/packs.md: "the quarter's outturn
-- summary"): the outturn at the quarter's last period (a quarter's month-end is its
-- period end, rules.md "Calendar": period 3, 6, 9 or 12), one row per line of the
-- pack's table - each directorate by name with `UNMAPPED` (lines outside the reference
-- data) after them, then the council total line. Figures are the marts' own, unrounded.

{%- set figures = ['current_budget', 'actual_ytd', 'forecast_outturn', 'variance',
                   'variance_pct', 'rag', 'movement'] %}

with quarters as (

    select fiscal_year, quarter, quarter * 3 as period
    from {{ ref('int_calendar__fiscal_quarters') }}

),

directorates as (

    select
        q.fiscal_year,
        q.quarter,
        d.period,
        d.period_end,
        d.directorate_code,
        d.directorate_name,
        {% for col in figures %}d.{{ col }},{% endfor %}
        row_number() over (
            partition by q.fiscal_year, q.quarter
            order by d.directorate_code = 'UNMAPPED', d.directorate_name, d.directorate_code
        )::integer as sort_order
    from quarters as q
    join {{ ref('finance_outturn_directorate') }} as d
        on d.fiscal_year = q.fiscal_year and d.period = q.period

),

council as (

    select
        q.fiscal_year,
        q.quarter,
        c.period,
        c.period_end,
        {% for col in figures %}c.{{ col }},{% endfor %}
        -- the total line comes after every directorate line
        (select count(*) from directorates as d
          where d.fiscal_year = q.fiscal_year and d.quarter = q.quarter)::integer + 1
            as sort_order
    from quarters as q
    join {{ ref('finance_outturn_council') }} as c
        on c.fiscal_year = q.fiscal_year and c.period = q.period

)

select
    fiscal_year, quarter, period, period_end, false as is_total,
    directorate_code, directorate_name,
    {% for col in figures %}{{ col }},{% endfor %}
    sort_order
from directorates

union all

select
    fiscal_year, quarter, period, period_end, true as is_total,
    null::text as directorate_code, 'Council total'::text as directorate_name,
    {% for col in figures %}{{ col }},{% endfor %}
    sort_order
from council
