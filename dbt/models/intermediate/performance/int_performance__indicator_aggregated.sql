-- Quarterly and year-to-date values (rules.md "Indicators"): a monthly indicator's quarter
-- and year to date, and a quarterly indicator's year to date, by its aggregation:
-- `sum` of the periods, `mean` of the periods, `last` period, or `ratio` = sum of
-- numerators / sum of denominators x 100. A row at the indicator's own frequency keeps
-- its returned value. Only periods with a value count (`periods_returned`); none at all
-- leaves the value empty (`Not returned`). Any provisional value in the period makes the
-- row provisional. Commentary, submitted_at and sha256 are those of the latest
-- submission in the period.

with periods as (

    select * from {{ ref('int_performance__indicator_periods_due') }}

),

values_latest as (

    select * from {{ ref('int_performance__indicator_values_latest') }}

),

own_values as (

    select v.*
    from periods as p
    join values_latest as v on v.indicator_id = p.indicator_id and v.period_end = p.period_end
    where p.is_own_frequency

),

gathered as (

    select
        p.indicator_id,
        p.period_type,
        p.period_end,
        count(o.value)::integer as periods_returned,
        sum(o.value) as value_sum,
        avg(o.value) as value_mean,
        (array_agg(o.value order by o.period_end desc))[1] as value_last,
        (array_agg(o.numerator order by o.period_end desc))[1] as numerator_last,
        (array_agg(o.denominator order by o.period_end desc))[1] as denominator_last,
        -- a ratio is taken over the periods that gave both parts
        sum(o.numerator) filter (where o.numerator is not null and o.denominator is not null)
            as numerator_sum,
        sum(o.denominator) filter (where o.numerator is not null and o.denominator is not null)
            as denominator_sum,
        coalesce(bool_or(o.is_provisional), false) as is_provisional,
        (array_agg(o.commentary order by o.submitted_at desc, o.period_end desc))[1] as commentary,
        max(o.submitted_at) as submitted_at,
        (array_agg(o.sha256 order by o.submitted_at desc, o.period_end desc))[1] as sha256
    from periods as p
    left join own_values as o
        on o.indicator_id = p.indicator_id
        and o.period_end between p.span_start and p.period_end
    group by p.indicator_id, p.period_type, p.period_end

)

select
    p.*,
    g.periods_returned,
    case
        when g.periods_returned = 0 then null
        when p.is_own_frequency or p.aggregation = 'last' then g.value_last
        when p.aggregation = 'sum' then g.value_sum
        when p.aggregation = 'mean' then g.value_mean
        when p.aggregation = 'ratio' then
            case when g.denominator_sum > 0 then g.numerator_sum * 100 / g.denominator_sum
                 -- no period gave a numerator and a denominator: the mean of the values
                 else g.value_mean end
    end as value_unrounded,
    case
        when p.is_own_frequency or p.aggregation = 'last' then g.numerator_last
        when p.aggregation = 'ratio' then g.numerator_sum
    end as numerator,
    case
        when p.is_own_frequency or p.aggregation = 'last' then g.denominator_last
        when p.aggregation = 'ratio' then g.denominator_sum
    end as denominator,
    -- the periods the value covers; for a period not returned, those that were due
    case when g.periods_returned = 0 then p.periods_due else g.periods_returned end
        as periods_covered,
    (case when g.periods_returned = 0 then p.periods_due else g.periods_returned end
        * p.own_period_months)::integer as months_covered,
    g.is_provisional,
    g.commentary,
    g.submitted_at,
    g.sha256
from periods as p
join gathered as g
    on g.indicator_id = p.indicator_id and g.period_type = p.period_type
    and g.period_end = p.period_end
