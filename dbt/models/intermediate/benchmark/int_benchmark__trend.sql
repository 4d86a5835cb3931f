-- Trend rule: periods of one series (indicator, measure, unit, breakdown, period kind)
-- numbered from the latest (1) back. For every period, the council's direction over the
-- last five periods up to it: its figure in that period against its earliest figure in
-- the five; better by the declared polarity `improving`, worse `worsening`, equal
-- `no change` (polarity none: `up` / `down` / `no change`); no figure in the period, or
-- fewer than two figures in the five, `not enough data`.

with stats as (

    select
        s.indicator, s.measure, s.unit, s.breakdown, s.period_type, s.period_start,
        s.period_end, s.period_label, s.council_value,
        row_number() over (partition by indicator, measure, unit, breakdown, period_type
                           order by period_end desc, period_start desc) as period_number
    from {{ ref('int_benchmark__comparison_stats') }} as s

),

windowed as (

    select
        s.*,
        (array_agg(council_value) filter (where council_value is not null) over five)[1]
            as earliest_value,
        (array_agg(period_label) filter (where council_value is not null) over five)[1]
            as earliest_label,
        count(council_value) over five as figures
    from stats as s
    window five as (partition by indicator, measure, unit, breakdown, period_type
                    order by period_number desc rows between 4 preceding and current row)

)

select
    w.indicator,
    w.measure,
    w.unit,
    w.breakdown,
    w.period_type,
    w.period_start,
    w.period_end,
    w.period_number,
    w.period_number = 1 as is_latest_period,
    case
        when w.council_value is null or w.figures < 2 then 'not enough data'
        when w.council_value = w.earliest_value then 'no change'
        when p.polarity = 'higher' then
            case when w.council_value > w.earliest_value then 'improving' else 'worsening' end
        when p.polarity = 'lower' then
            case when w.council_value < w.earliest_value then 'improving' else 'worsening' end
        when w.council_value > w.earliest_value then 'up'
        else 'down'
    end as trend,
    case when w.council_value is not null and w.figures >= 2 then w.earliest_label end
        as trend_from_period_label,
    case when w.council_value is not null and w.figures >= 2 then w.earliest_value end
        as trend_from_value
from windowed as w
inner join {{ ref('int_benchmark__polarity') }} as p
    on p.indicator = w.indicator and p.measure = w.measure
