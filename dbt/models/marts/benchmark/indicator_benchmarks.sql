-- The benchmark beside the council's own indicator: for each council indicator that
-- benchmark/indicators links to a benchmark indicator, the latest comparison of every
-- measure, unit and breakdown of that benchmark. Join to indicator_results on
-- indicator_id.

select
    indicator_id::text as indicator_id,
    indicator::text as benchmark_indicator,
    short_name::text as short_name,
    measure::text as measure,
    unit::text as unit,
    breakdown::text as breakdown,
    period_type::text as period_type,
    period_label::text as period_label,
    period_end::date as period_end,
    polarity::text as polarity,
    council_value::numeric as council_value,
    comparators_median::numeric as comparators_median,
    comparators_minimum::numeric as comparators_minimum,
    comparators_maximum::numeric as comparators_maximum,
    council_rank::integer as council_rank,
    ranked_areas::integer as ranked_areas,
    quartile_position::text as quartile_position,
    trend::text as trend
from {{ ref('benchmark_comparison') }}
where indicator_id is not null and is_latest_period
