-- Indicators at year end (rules.md "Indicators") for the year-end summary: each public
-- indicator's latest year or year-to-date row of the fiscal year (the year row when
-- both end on the same day), one row per indicator. Rows not public are left out (the
-- pack is public). Ordered by directorate name, indicator name and id as the pack
-- lists them (an indicator with no directorate first).

with public_results as (

    select * from {{ ref('indicator_results') }}
    where is_public is true
      and period_type in ('year', 'ytd')

),

latest as (

    select distinct on (fiscal_year, indicator_id) *
    from public_results
    order by fiscal_year, indicator_id, period_end desc, period_type

)

select
    fiscal_year::text as fiscal_year,
    indicator_id::text as indicator_id,
    period_type::text as period_type,
    period_end::date as period_end,
    quarter::int as quarter,
    indicator_name::text as indicator_name,
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name,
    council_plan_priority::text as council_plan_priority,
    frequency::text as frequency,
    unit::text as unit,
    polarity::text as polarity,
    aggregation::text as aggregation,
    decimals::int as decimals,
    value::numeric as value,
    numerator::numeric as numerator,
    denominator::numeric as denominator,
    target::numeric as target,
    tolerance::numeric as tolerance,
    rag::text as rag,
    direction_of_travel::text as direction_of_travel,
    is_provisional::boolean as is_provisional,
    is_public::boolean as is_public,
    commentary::text as commentary,
    sha256::text as sha256,
    row_number() over (
        partition by fiscal_year
        order by coalesce(directorate_name, '') collate "C", indicator_name collate "C",
                 indicator_id collate "C"
    )::int as sort_order
from latest
