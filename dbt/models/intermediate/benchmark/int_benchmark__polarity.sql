-- Polarity rule: which way is better for each benchmark indicator and measure, as the
-- council declares it in benchmark/indicators. A declaration naming the measure beats
-- one for the whole indicator (measure left empty); undeclared is `none` (not ranked).
-- The declaration may also link the benchmark to one of the council's own indicators.

with measures as (

    select distinct indicator, measure
    from {{ ref('int_benchmark__figures') }}

),

declared as (

    select * from {{ ref('stg_benchmark__indicators') }}

)

select
    m.indicator,
    m.measure,
    coalesce(exact.polarity, whole.polarity, 'none') as polarity,
    coalesce(exact.indicator_id, whole.indicator_id) as indicator_id,
    coalesce(exact.short_name, whole.short_name, m.indicator) as short_name,
    (exact.indicator is not null or whole.indicator is not null) as is_declared
from measures as m
left join declared as exact
    on exact.indicator = m.indicator and exact.measure = m.measure
left join declared as whole
    on whole.indicator = m.indicator and whole.measure is null
