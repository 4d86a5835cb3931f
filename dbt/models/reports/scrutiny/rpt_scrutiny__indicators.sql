-- Every public indicator for the quarter (rules.md "Indicators"), one row per indicator
-- and period type as the scrutiny pack lists it: the quarter's value, and in quarter 4
-- also each annual indicator's year value. Rows not public are left out (the pack is
-- public: rules.md "Publication and disclosure control"). The year's values each row's
-- disclosure control reads are in rpt_scrutiny__indicator_year_values.

with public_results as (

    select * from {{ ref('indicator_results') }}
    where is_public is true
      and period_type in ('quarter', 'year')

),

quarters as (

    select fiscal_year, quarter from {{ ref('int_calendar__fiscal_quarters') }}

),

-- the quarter's rows; a year row belongs to quarter 4's pack
shown as (

    select q.quarter as report_quarter, r.*
    from quarters as q
    join public_results as r
        on r.fiscal_year = q.fiscal_year
       and ((r.period_type = 'quarter' and r.quarter = q.quarter)
            or (q.quarter = 4 and r.period_type = 'year'))

)

select
    s.fiscal_year::text as fiscal_year,
    s.report_quarter::int as quarter,
    s.indicator_id::text as indicator_id,
    s.period_type::text as period_type,
    s.period_end::date as period_end,
    s.indicator_name::text as indicator_name,
    s.directorate_code::text as directorate_code,
    s.directorate_name::text as directorate_name,
    s.council_plan_priority::text as council_plan_priority,
    s.frequency::text as frequency,
    s.unit::text as unit,
    s.polarity::text as polarity,
    s.aggregation::text as aggregation,
    s.decimals::int as decimals,
    s.value::numeric as value,
    s.numerator::numeric as numerator,
    s.denominator::numeric as denominator,
    s.target::numeric as target,
    s.tolerance::numeric as tolerance,
    s.rag::text as rag,
    s.direction_of_travel::text as direction_of_travel,
    s.is_provisional::boolean as is_provisional,
    s.is_public::boolean as is_public,
    s.commentary::text as commentary,
    s.sha256::text as sha256,
    row_number() over (
        partition by s.fiscal_year, s.report_quarter
        order by s.directorate_name, s.directorate_code, s.indicator_name, s.indicator_id,
                 s.period_type
    )::int as sort_order
from shown as s
