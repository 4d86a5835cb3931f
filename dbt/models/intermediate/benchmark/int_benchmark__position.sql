-- Rank and quartile rule: where the council declares a polarity (higher or lower is
-- better), the council's rank among the council and the comparators with a figure,
-- 1 = best; equal figures share a rank (1, 2, 2, 4) and are marked joint. Its quartile
-- position is read against the comparators' quartiles: at or beyond the better
-- quartile `top quartile`, then `second quartile` to the median (a tie with the median
-- counts as the better half), `third quartile` to the worse quartile, else `bottom
-- quartile`. Polarity `none`, or no figure for the council: no rank, no quartile.

with stats as (

    select * from {{ ref('int_benchmark__comparison_stats') }}

),

polarity as (

    select * from {{ ref('int_benchmark__polarity') }}

),

ranked as (

    select
        f.indicator, f.measure, f.unit, f.breakdown, f.period_type, f.period_start,
        f.period_end, f.is_council, f.value,
        rank() over w as area_rank,
        count(*) over (partition by f.indicator, f.measure, f.unit, f.breakdown,
                       f.period_type, f.period_start, f.period_end) as ranked_areas,
        count(*) over (partition by f.indicator, f.measure, f.unit, f.breakdown,
                       f.period_type, f.period_start, f.period_end, f.value) as sharing
    from {{ ref('int_benchmark__figures') }} as f
    inner join polarity as p
        on p.indicator = f.indicator and p.measure = f.measure
    where f.in_comparator_set and f.value is not null and p.polarity in ('higher', 'lower')
    window w as (partition by f.indicator, f.measure, f.unit, f.breakdown, f.period_type,
                              f.period_start, f.period_end
                 order by case when p.polarity = 'higher' then -f.value else f.value end)

)

select
    s.indicator,
    s.measure,
    s.unit,
    s.breakdown,
    s.period_type,
    s.period_start,
    s.period_end,
    p.polarity,
    r.area_rank as council_rank,
    r.ranked_areas,
    r.sharing > 1 as rank_is_joint,
    case
        when r.area_rank is null or s.comparators_median is null then null
        when p.polarity = 'higher' then case
            when s.council_value >= s.comparators_upper_quartile then 'top quartile'
            when s.council_value >= s.comparators_median then 'second quartile'
            when s.council_value >= s.comparators_lower_quartile then 'third quartile'
            else 'bottom quartile' end
        else case
            when s.council_value <= s.comparators_lower_quartile then 'top quartile'
            when s.council_value <= s.comparators_median then 'second quartile'
            when s.council_value <= s.comparators_upper_quartile then 'third quartile'
            else 'bottom quartile' end
    end as quartile_position
from stats as s
inner join polarity as p
    on p.indicator = s.indicator and p.measure = s.measure
left join ranked as r
    on r.is_council
    and r.indicator = s.indicator and r.measure = s.measure and r.unit = s.unit
    and r.breakdown = s.breakdown and r.period_type = s.period_type
    and r.period_start = s.period_start and r.period_end = s.period_end
