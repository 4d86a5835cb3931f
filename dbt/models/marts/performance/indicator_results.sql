-- Indicator results per indicator and period (docs/performance-marts.md): every due period
-- has a row, `Not returned` when no value came back. The directorate's name is the one
-- in force at the period's end (reference history). Indicators the warehouse works out
-- itself (SYS-*, int_performance__system_indicators) sit beside the returned ones with
-- source `system-calculated`.

{%- set result_columns = [
    'indicator_id', 'fiscal_year', 'period_type', 'period_end', 'quarter', 'indicator_name',
    'directorate_code', 'council_plan_priority', 'frequency', 'unit', 'polarity',
    'aggregation', 'decimals', 'value', 'numerator', 'denominator', 'months_covered',
    'target_scaled', 'tolerance_scaled', 'rag', 'direction_of_travel',
    'comparator_period_end', 'comparator_value', 'is_provisional', 'is_public',
    'commentary', 'submitted_at', 'sha256'] %}

with results as (

    select {{ result_columns | join(', ') }}, 'returned' as source
    from {{ ref('int_performance__indicator_direction') }}
    union all
    select {{ result_columns | join(', ') }}, 'system-calculated' as source
    from {{ ref('int_performance__system_indicators') }}

),

periods as (

    select distinct
        fiscal_year,
        period_end as period,
        {{ end_of_day_london('period_end') }} as period_end_at
    from results

),

directorates as (
    {{ reference_at_period_end(ref('int_reference__directorates_history'), 'periods') }}
)

select
    r.indicator_id::text as indicator_id,
    r.fiscal_year::text as fiscal_year,
    r.period_type::text as period_type,
    r.period_end::date as period_end,
    r.quarter::integer as quarter,
    r.indicator_name::text as indicator_name,
    r.directorate_code::text as directorate_code,
    d.directorate_name::text as directorate_name,
    r.council_plan_priority::text as council_plan_priority,
    r.frequency::text as frequency,
    r.unit::text as unit,
    r.polarity::text as polarity,
    r.aggregation::text as aggregation,
    r.decimals::integer as decimals,
    r.value::numeric as value,
    r.numerator::numeric as numerator,
    r.denominator::numeric as denominator,
    r.months_covered::integer as months_covered,
    trim_scale(r.target_scaled)::numeric as target,
    trim_scale(case when r.target_scaled is not null then r.tolerance_scaled end)::numeric
        as tolerance,
    r.rag::text as rag,
    r.direction_of_travel::text as direction_of_travel,
    r.comparator_period_end::date as comparator_period_end,
    r.comparator_value::numeric as comparator_value,
    r.is_provisional::boolean as is_provisional,
    -- only an explicit N keeps an indicator out of public packs (rules.md disclosure)
    coalesce(r.is_public, true)::boolean as is_public,
    r.commentary::text as commentary,
    r.submitted_at::timestamptz as submitted_at,
    r.sha256::text as sha256,
    r.source::text as source
from results as r
left join directorates as d
    on d.period = r.period_end and d.directorate_code = r.directorate_code
