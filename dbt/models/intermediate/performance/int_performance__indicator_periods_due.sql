-- Missing return (rules.md "Indicators"): every period each indicator is due, so one with
-- no value appears as `Not returned`, never silently absent; with the definition in
-- force at the period's end (a target or polarity changed mid-year applies from when the
-- changed definition file arrived).
-- Due: from the first period of the indicator's frequency in each fiscal year that has
-- returns, up to the reporting horizon (the latest period end for which any indicator
-- value has been returned), while the indicator is in the definitions in force then.
-- Rows (docs/performance-marts.md): a monthly indicator has `month` rows, a `quarter` row
-- for each quarter with a month due and a `ytd` row at the end of each such quarter; a
-- quarterly indicator `quarter` and `ytd` rows; an annual indicator a `year` row.

with history as (

    select * from {{ ref('int_performance__indicator_definitions_history') }}

),

values_returned as (

    select period_end from {{ ref('int_performance__indicator_values_latest') }}

),

bounds as (

    select
        max(period_end) as horizon,
        {{ fiscal_year_start(fiscal_year_of('min(period_end)')) }} as first_day
    from values_returned

),

months as (

    select
        m.month_end,
        {{ fiscal_year_of('m.month_end') }} as fiscal_year,
        {{ fiscal_period_of('m.month_end') }} as month_number
    from bounds
    cross join lateral (
        select (g + interval '1 month' - interval '1 day')::date as month_end
        from generate_series(bounds.first_day, bounds.horizon, interval '1 month') as g
    ) as m
    where m.month_end <= bounds.horizon

),

-- every period end a row can have: month ends up to the horizon and their quarter ends
period_ends as (

    select month_end as period_end from months
    union
    select {{ fiscal_period_end('fiscal_year', '3 * ((month_number + 2) / 3)') }} from months

),

snapshots as (

    select distinct file_id, valid_from from history

),

-- the definitions file in force at each period's end: the latest arrived by then, or the
-- earliest when none had (history loaded before the first definitions file)
in_force as (

    select pe.period_end, chosen.file_id
    from period_ends as pe
    cross join lateral (
        select coalesce(
            (select s.file_id from snapshots as s
             where s.valid_from < {{ end_of_day_london('pe.period_end') }}
             order by s.valid_from desc, s.file_id desc limit 1),
            (select s.file_id from snapshots as s order by s.valid_from, s.file_id limit 1)
        ) as file_id
    ) as chosen

),

definitions as (

    select
        f.period_end,
        a.file_id as definition_file_id,
        a.indicator_id,
        a.indicator_name,
        a.directorate_code,
        a.council_plan_priority,
        a.frequency,
        a.unit,
        a.polarity,
        a.aggregation,
        a.decimals,
        a.is_public,
        -- the year's own target, else one given for any year
        coalesce(y.target, a.target) as target,
        coalesce(y.tolerance, a.tolerance) as tolerance,
        case a.frequency when 'monthly' then 1 when 'quarterly' then 3 else 12 end
            as own_period_months
    from in_force as f
    join history as a on a.file_id = f.file_id and a.fiscal_year is null
    left join history as y
        on y.file_id = f.file_id and y.indicator_id = a.indicator_id
        and y.fiscal_year = {{ fiscal_year_of('f.period_end') }}

),

own as (

    select
        d.indicator_id,
        m.fiscal_year,
        case d.frequency when 'monthly' then 'month' when 'quarterly' then 'quarter' else 'year' end
            as period_type,
        m.month_end as period_end,
        case d.frequency when 'monthly' then m.month_number
                         when 'quarterly' then m.month_number / 3 else 1 end as period_number,
        (m.month_number + 2) / 3 as quarter,
        (date_trunc('month', m.month_end) - (d.own_period_months - 1) * interval '1 month')::date
            as span_start,
        true as is_own_frequency
    from months as m
    join definitions as d on d.period_end = m.month_end
    where d.frequency = 'monthly'
        or (d.frequency = 'quarterly' and m.month_number % 3 = 0)
        or (d.frequency = 'annual' and m.month_number = 12)

),

quarters as (

    select distinct indicator_id, fiscal_year, quarter, period_type as own_type
    from own
    where period_type in ('month', 'quarter')

),

aggregated as (

    select
        q.indicator_id,
        q.fiscal_year,
        t.period_type,
        {{ fiscal_period_end('q.fiscal_year', '3 * q.quarter') }} as period_end,
        q.quarter as period_number,
        q.quarter,
        case t.period_type
            when 'quarter' then (date_trunc('month', {{ fiscal_period_end('q.fiscal_year', '3 * q.quarter') }})
                                 - interval '2 months')::date
            else {{ fiscal_year_start('q.fiscal_year') }}
        end as span_start,
        false as is_own_frequency
    from quarters as q
    cross join (values ('quarter'), ('ytd')) as t (period_type)
    -- a quarterly indicator's own rows are its quarter rows
    where not (q.own_type = 'quarter' and t.period_type = 'quarter')

),

all_rows as (

    select * from own
    union all
    select * from aggregated

)

select
    r.indicator_id,
    r.fiscal_year,
    r.period_type,
    r.period_end,
    r.period_number,
    r.quarter,
    r.span_start,
    r.is_own_frequency,
    (select count(*) from own as o
     where o.indicator_id = r.indicator_id
       and o.period_end between r.span_start and r.period_end)::integer as periods_due,
    d.own_period_months,
    d.definition_file_id,
    d.indicator_name,
    d.directorate_code,
    d.council_plan_priority,
    d.frequency,
    d.unit,
    d.polarity,
    d.aggregation,
    d.decimals,
    d.is_public,
    d.target,
    d.tolerance
from all_rows as r
join definitions as d on d.period_end = r.period_end and d.indicator_id = r.indicator_id
