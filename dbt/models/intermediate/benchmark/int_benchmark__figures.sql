-- Long format: one row per area, indicator, measure, unit, breakdown and period. A file
-- with several value columns (value_ulev, value_all_vehicles) gives one measure per
-- column, named "<measure>: <column>" ("Frequency: ulev"). The breakdown is the
-- published `inequality` (Male, Female, a deprivation quintile), else `All`. Rows for
-- areas outside the comparator set are kept and flagged (England and regions give
-- context; the England row is flagged is_england).

with measures as (

    select * from {{ ref('stg_benchmark__measures') }}

),

figures as (

    select
        m.area_code, m.area_name, m.area_type, m.indicator, m.measure, m.unit,
        m.inequality, m.compared_to_england, m.period_as_published, m.period_start,
        m.period_end, m.period_type, m.period_label, m.value, m.sha256, m.line_number
    from measures as m
    where m.value_columns is null or m.value is not null
    union all
    select
        m.area_code, m.area_name, m.area_type, m.indicator,
        m.measure || ': ' || v.key as measure, m.unit,
        m.inequality, m.compared_to_england, m.period_as_published, m.period_start,
        m.period_end, m.period_type, m.period_label,
        -- checked numeric (or NA / empty) at ingestion
        case when upper(btrim(v.value)) in ('NA', '') then null else v.value::numeric end,
        m.sha256, m.line_number
    from measures as m
    cross join lateral jsonb_each_text(m.value_columns) as v
    where m.value_columns is not null

)

select
    f.area_code,
    coalesce(f.area_name, s.area_name) as area_name,
    f.area_type,
    f.indicator,
    f.measure,
    f.unit,
    coalesce(f.inequality, 'All') as breakdown,
    f.compared_to_england,
    f.period_as_published,
    f.period_start,
    f.period_end,
    f.period_type,
    f.period_label,
    f.value,
    s.area_code is not null as in_comparator_set,
    coalesce(s.is_council, false) as is_council,
    f.area_code = '{{ var("benchmark_england_area_code") }}' as is_england,
    f.sha256,
    f.line_number
from figures as f
left join {{ ref('int_benchmark__comparator_set') }} as s
    on s.area_code = f.area_code
