{#- "How we compare", shared by the quarterly packs that show it (rpt_<pack>__how_we_compare,
    rpt_<pack>__how_we_compare_areas, rpt_<pack>__benchmark_files). A quarter shows, for
    every benchmark indicator the council declares (benchmark/indicators), the latest
    published period that ended by the quarter's last day. -#}

{% macro benchmark_quarter_picks() -%}
    select
        q.fiscal_year,
        q.quarter,
        q.quarter_end,
        c.*,
        row_number() over (
            partition by q.fiscal_year, q.quarter, c.indicator, c.measure, c.unit,
                         c.breakdown, c.period_type
            order by c.period_end desc, c.period_start desc) as pick
    from {{ ref('int_calendar__fiscal_quarters') }} as q
    join {{ ref('benchmark_comparison') }} as c
        on c.period_end <= q.quarter_end
    where c.is_declared
{%- endmacro %}

{% macro how_we_compare() -%}
with picked as (

    {{ benchmark_quarter_picks() }}

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    indicator::text as indicator,
    (short_name || case when breakdown <> 'All' then ' (' || breakdown || ')' else '' end)::text
        as title,
    indicator_id::text as indicator_id,
    measure::text as measure,
    unit::text as unit,
    breakdown::text as breakdown,
    period_type::text as period_type,
    period_label::text as period_label,
    period_end::date as period_end,
    polarity::text as polarity,
    council_value::numeric as council_value,
    comparators_median::numeric as comparators_median,
    comparators_lower_quartile::numeric as comparators_lower_quartile,
    comparators_upper_quartile::numeric as comparators_upper_quartile,
    comparators_minimum::numeric as comparators_minimum,
    comparators_maximum::numeric as comparators_maximum,
    comparators_with_figure::integer as comparators_with_figure,
    council_rank::integer as council_rank,
    ranked_areas::integer as ranked_areas,
    rank_is_joint::boolean as rank_is_joint,
    quartile_position::text as quartile_position,
    england_value::numeric as england_value,
    trend::text as trend,
    trend_from_period_label::text as trend_from_period_label,
    -- calendar months from the month the period ends to the quarter's last month
    ((extract(year from quarter_end) - extract(year from period_end)) * 12
        + extract(month from quarter_end) - extract(month from period_end))::integer
        as months_old,
    row_number() over (partition by fiscal_year, quarter
                       order by short_name, breakdown, measure, unit, period_type)::integer
        as sort_order
from picked
where pick = 1
{%- endmacro %}

{% macro how_we_compare_areas(entries) -%}
-- Every comparator's figure (and the council's) behind each entry, best first by the
-- declared polarity (highest first for polarity none): the dots of its chart and the
-- table beside it.
with entries as (

    select * from {{ entries }}

),

figures as (

    select * from {{ ref('benchmark_figures') }}
    where in_comparator_set and value is not null

)

select
    e.fiscal_year::text as fiscal_year,
    e.quarter::integer as quarter,
    e.indicator::text as indicator,
    e.measure::text as measure,
    e.unit::text as unit,
    e.breakdown::text as breakdown,
    e.period_type::text as period_type,
    f.area_code::text as area_code,
    f.area_name::text as area_name,
    f.is_council::boolean as is_council,
    f.value::numeric as value,
    (case when e.polarity in ('higher', 'lower')
          then rank() over (partition by e.fiscal_year, e.quarter, e.indicator, e.measure,
                                         e.unit, e.breakdown, e.period_type
                            order by case when e.polarity = 'higher' then -f.value
                                          else f.value end) end)::integer as area_rank,
    row_number() over (partition by e.fiscal_year, e.quarter, e.indicator, e.measure, e.unit,
                                    e.breakdown, e.period_type
                       order by case when e.polarity = 'lower' then f.value else -f.value end,
                                f.area_name)::integer as sort_order
from entries as e
join figures as f
    on f.indicator = e.indicator and f.measure = e.measure and f.unit = e.unit
    and f.breakdown = e.breakdown and f.period_type = e.period_type
    and f.period_end = e.period_end
{%- endmacro %}

{% macro benchmark_files(entries, areas) -%}
-- The benchmark files a quarter's entries rest on, with the periods used from each and
-- its latest: the figures' files, the comparator set and the council's declarations.
with used as (

    select a.fiscal_year, a.quarter, f.sha256, e.period_label, e.period_end, e.months_old
    from {{ areas }} as a
    join {{ entries }} as e
        on e.fiscal_year = a.fiscal_year and e.quarter = a.quarter
        and e.indicator = a.indicator and e.measure = a.measure and e.unit = a.unit
        and e.breakdown = a.breakdown and e.period_type = a.period_type
    join {{ ref('benchmark_figures') }} as f
        on f.indicator = a.indicator and f.measure = a.measure and f.unit = a.unit
        and f.breakdown = a.breakdown and f.period_type = a.period_type
        and f.period_end = e.period_end and f.area_code = a.area_code

),

loaded as (

    select file_id, feed, file_name, sha256
    from {{ source('ops', 'files') }}
    where outcome = 'loaded'

),

figure_files as (

    select
        u.fiscal_year, u.quarter, l.file_id, l.feed, l.file_name, l.sha256,
        string_agg(distinct u.period_label, ', ') as periods_used,
        max(u.period_end) as latest_period_end,
        min(u.months_old) as months_old
    from used as u
    join loaded as l on l.sha256 = u.sha256
    group by u.fiscal_year, u.quarter, l.file_id, l.feed, l.file_name, l.sha256

),

setting_files as (

    select q.fiscal_year, q.quarter, l.file_id, l.feed, l.file_name, l.sha256,
           null::text as periods_used, null::date as latest_period_end,
           null::integer as months_old
    from (select distinct fiscal_year, quarter from {{ entries }}) as q
    cross join (
        select distinct file_id from {{ ref('stg_benchmark__comparators') }}
        union
        select distinct file_id from {{ ref('stg_benchmark__indicators') }}
    ) as s
    join loaded as l on l.file_id = s.file_id

),

files as (

    select * from figure_files
    union all
    select * from setting_files

)

select
    fiscal_year::text as fiscal_year,
    quarter::integer as quarter,
    file_id::bigint as file_id,
    feed::text as feed,
    file_name::text as file_name,
    sha256::text as sha256,
    periods_used::text as periods_used,
    latest_period_end::date as latest_period_end,
    months_old::integer as months_old,
    row_number() over (partition by fiscal_year, quarter
                       order by feed, file_name, sha256)::integer as sort_order
from files
{%- endmacro %}
