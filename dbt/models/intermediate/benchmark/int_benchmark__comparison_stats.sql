-- Comparator statistics rule: per indicator, measure, unit, breakdown and period, over
-- the comparators with a figure (the comparator set without the council): median,
-- lower and upper quartile by PostgreSQL percentile_cont (linear interpolation between
-- the closest ranks, Hyndman and Fan type 7: numpy's default, Excel QUARTILE.INC,
-- Python statistics.quantiles(method='inclusive')), minimum and maximum; with the
-- council's own figure and England's where published. Only series that hold a figure
-- for some member of the comparator set.

with figures as (

    select * from {{ ref('int_benchmark__figures') }}

),

comparator_count as (

    select count(*) filter (where not is_council) as comparators_in_set
    from {{ ref('int_benchmark__comparator_set') }}

)

select
    f.indicator,
    f.measure,
    f.unit,
    f.breakdown,
    f.period_type,
    f.period_start,
    f.period_end,
    f.period_label,
    max(f.value) filter (where f.is_council) as council_value,
    percentile_cont(0.5) within group (order by f.value)
        filter (where f.in_comparator_set and not f.is_council) as comparators_median,
    percentile_cont(0.25) within group (order by f.value)
        filter (where f.in_comparator_set and not f.is_council) as comparators_lower_quartile,
    percentile_cont(0.75) within group (order by f.value)
        filter (where f.in_comparator_set and not f.is_council) as comparators_upper_quartile,
    min(f.value) filter (where f.in_comparator_set and not f.is_council) as comparators_minimum,
    max(f.value) filter (where f.in_comparator_set and not f.is_council) as comparators_maximum,
    count(f.value) filter (where f.in_comparator_set and not f.is_council)
        as comparators_with_figure,
    max(c.comparators_in_set) as comparators_in_set,
    max(f.value) filter (where f.is_england) as england_value,
    string_agg(distinct f.sha256, ' ' order by f.sha256) as source_sha256s
from figures as f
cross join comparator_count as c
group by f.indicator, f.measure, f.unit, f.breakdown, f.period_type, f.period_start,
    f.period_end, f.period_label
having count(f.value) filter (where f.in_comparator_set) > 0
