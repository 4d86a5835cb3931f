-- Trend rule: periods of one series (indicator, measure, unit, breakdown, period kind)
-- numbered from the latest (1) back; the direction over the last five periods compares
-- the council's latest figure with its earliest figure among those five: better by the
-- declared polarity `improving`, worse `worsening`, equal `no change`; polarity none
-- `up` / `down` / `no change`; fewer than two figures `not enough data`.

with stats as (

    select
        s.*,
        row_number() over (partition by indicator, measure, unit, breakdown, period_type
                           order by period_end desc, period_start desc) as period_number
    from {{ ref('int_benchmark__comparison_stats') }} as s

),

last_five as (

    select
        indicator, measure, unit, breakdown, period_type,
        (array_agg(council_value order by period_end desc)
            filter (where council_value is not null))[1] as latest_value,
        (array_agg(council_value order by period_end)
            filter (where council_value is not null))[1] as earliest_value,
        (array_agg(period_label order by period_end)
            filter (where council_value is not null))[1] as earliest_label,
        count(council_value) as figures
    from stats
    where period_number <= 5
    group by indicator, measure, unit, breakdown, period_type

)

select
    s.indicator,
    s.measure,
    s.unit,
    s.breakdown,
    s.period_type,
    s.period_start,
    s.period_end,
    s.period_number,
    s.period_number = 1 as is_latest_period,
    case when s.period_number = 1 then case
        when l.figures < 2 then 'not enough data'
        when l.latest_value = l.earliest_value then 'no change'
        when p.polarity = 'higher' then
            case when l.latest_value > l.earliest_value then 'improving' else 'worsening' end
        when p.polarity = 'lower' then
            case when l.latest_value < l.earliest_value then 'improving' else 'worsening' end
        when l.latest_value > l.earliest_value then 'up'
        else 'down'
    end end as trend,
    case when s.period_number = 1 and l.figures >= 2 then l.earliest_label end
        as trend_from_period_label,
    case when s.period_number = 1 and l.figures >= 2 then l.earliest_value end
        as trend_from_value
from stats as s
inner join last_five as l
    on l.indicator = s.indicator and l.measure = s.measure and l.unit = s.unit
    and l.breakdown = s.breakdown and l.period_type = s.period_type
inner join {{ ref('int_benchmark__polarity') }} as p
    on p.indicator = s.indicator and p.measure = s.measure
