-- How the council compares with its comparators, per indicator, measure, unit,
-- breakdown and period (docs: _benchmark__models.yml). Quartiles by percentile_cont
-- (linear interpolation, Hyndman and Fan type 7).

select
    s.indicator::text as indicator,
    p.short_name::text as short_name,
    s.measure::text as measure,
    s.unit::text as unit,
    s.breakdown::text as breakdown,
    s.period_type::text as period_type,
    s.period_start::date as period_start,
    s.period_end::date as period_end,
    s.period_label::text as period_label,
    p.polarity::text as polarity,
    p.indicator_id::text as indicator_id,
    p.is_declared::boolean as is_declared,
    '{{ var("benchmark_council_area_code") }}'::text as council_area_code,
    s.council_value::numeric as council_value,
    s.comparators_median::numeric as comparators_median,
    s.comparators_lower_quartile::numeric as comparators_lower_quartile,
    s.comparators_upper_quartile::numeric as comparators_upper_quartile,
    s.comparators_minimum::numeric as comparators_minimum,
    s.comparators_maximum::numeric as comparators_maximum,
    s.comparators_with_figure::integer as comparators_with_figure,
    s.comparators_in_set::integer as comparators_in_set,
    r.council_rank::integer as council_rank,
    r.ranked_areas::integer as ranked_areas,
    coalesce(r.rank_is_joint, false)::boolean as rank_is_joint,
    r.quartile_position::text as quartile_position,
    s.england_value::numeric as england_value,
    t.period_number::integer as period_number,
    t.is_latest_period::boolean as is_latest_period,
    t.trend::text as trend,
    t.trend_from_period_label::text as trend_from_period_label,
    t.trend_from_value::numeric as trend_from_value,
    s.source_sha256s::text as source_sha256s
from {{ ref('int_benchmark__comparison_stats') }} as s
inner join {{ ref('int_benchmark__polarity') }} as p
    on p.indicator = s.indicator and p.measure = s.measure
inner join {{ ref('int_benchmark__position') }} as r
    on r.indicator = s.indicator and r.measure = s.measure and r.unit = s.unit
    and r.breakdown = s.breakdown and r.period_type = s.period_type
    and r.period_start = s.period_start and r.period_end = s.period_end
inner join {{ ref('int_benchmark__trend') }} as t
    on t.indicator = s.indicator and t.measure = s.measure and t.unit = s.unit
    and t.breakdown = s.breakdown and t.period_type = s.period_type
    and t.period_start = s.period_start and t.period_end = s.period_end
