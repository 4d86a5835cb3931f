-- The trend of each Red indicator the Cabinet pack lists (contracts/packs.md: "every Red
-- indicator with its commentary and trend chart"): its last eight figures up to the
-- quarter's end, oldest first, at its own period type (quarters; years for an annual
-- indicator reported in quarter 4). One row per point of the chart and line of the
-- table behind it. Disclosure control is applied by the pack, at render time, to these
-- rows: a hidden figure still has its row here, and the pack shows it as `<5`.

{%- set trend_points = 8 %}

with reds as (

    select fiscal_year, quarter, indicator_id, period_type, sort_order
    from {{ ref('rpt_cabinet__indicators') }}
    where rag = 'Red'

),

quarters as (

    select fiscal_year, quarter, quarter_end
    from {{ ref('int_calendar__fiscal_quarters') }}

),

history as (

    -- a public pack: the figures of an indicator marked not public are never shown
    select * from {{ ref('indicator_results') }}
    where is_public is true

),

points as (

    select
        r.fiscal_year,
        r.quarter,
        r.indicator_id,
        r.period_type,
        r.sort_order as red_sort_order,
        h.fiscal_year as point_fiscal_year,
        h.quarter as point_quarter,
        h.period_end,
        h.indicator_name,
        h.directorate_code,
        h.directorate_name,
        h.council_plan_priority,
        h.unit,
        h.polarity,
        h.aggregation,
        h.decimals,
        h.value,
        h.numerator,
        h.denominator,
        h.target,
        h.rag,
        h.direction_of_travel,
        h.is_provisional,
        h.is_public,
        h.sha256,
        row_number() over (
            partition by r.fiscal_year, r.quarter, r.indicator_id, r.period_type
            order by h.period_end desc
        ) as points_back
    from reds as r
    join quarters as q
        on q.fiscal_year = r.fiscal_year and q.quarter = r.quarter
    join history as h
        on h.indicator_id = r.indicator_id
       and h.period_type = r.period_type
       and h.period_end <= q.quarter_end

),

last_points as (

    select * from points
    where points_back <= {{ trend_points }}

)

select
    fiscal_year,
    quarter,
    indicator_id,
    period_type,
    red_sort_order,
    row_number() over (
        partition by fiscal_year, quarter, indicator_id, period_type
        order by period_end
    )::integer as point_order,
    point_fiscal_year,
    point_quarter,
    period_end,
    indicator_name,
    directorate_code,
    directorate_name,
    council_plan_priority,
    unit,
    polarity,
    aggregation,
    decimals,
    value,
    numerator,
    denominator,
    target,
    rag,
    direction_of_travel,
    is_provisional,
    is_public,
    sha256
from last_points
