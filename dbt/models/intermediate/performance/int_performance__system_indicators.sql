-- System-calculated indicators (rules.md "Indicators" applied to figures the warehouse
-- works out itself rather than a service returns): phone answer rate and digital share
-- (monthly, from the contacts), consultation compliance (quarterly: non-statutory
-- consultations ending in the quarter) and training completion (quarterly: the latest
-- snapshot in the quarter). Same columns as the returned indicators' rows, so
-- indicator_results takes them with a `union all`; targets are dbt vars, tolerance the
-- default share of |target|, values judged after rounding to 1 decimal. Periods exist
-- only where there was something to count: there is no return to be missing.

with definitions (indicator_id, indicator_name, frequency, aggregation, target) as (

    values
        ('SYS-CONTACT-01', 'Phone answer rate (calls not abandoned)', 'monthly', 'ratio',
         {{ var('target_phone_answer_rate') }}::numeric),
        ('SYS-CONTACT-02', 'Digital share of customer contacts', 'monthly', 'ratio',
         {{ var('target_digital_share') }}::numeric),
        ('SYS-CONSULT-01', 'Consultations meeting the required length', 'quarterly', 'ratio',
         {{ var('target_consultation_compliance') }}::numeric),
        ('SYS-TRAIN-01', 'Mandatory training completed by the due date', 'quarterly', 'last',
         {{ var('target_training_completion') }}::numeric)

),

contact_months as (

    select * from {{ ref('int_customer__contact_monthly') }}

),

-- one row per indicator and month that has something to count
months as (

    select 'SYS-CONTACT-01' as indicator_id,
           (month_start + interval '1 month - 1 day')::date as month_end,
           not_abandoned::numeric as numerator, contacts::numeric as denominator
    from contact_months where channel = 'phone'
    union all
    select 'SYS-CONTACT-02', (month_start + interval '1 month - 1 day')::date,
           digital::numeric, contacts::numeric
    from contact_months where channel = 'all'
    union all
    select 'SYS-CONSULT-01',
           (date_trunc('month', end_date) + interval '1 month - 1 day')::date,
           count(*) filter (where compliant)::numeric, count(*)::numeric
    from {{ ref('int_engagement__consultation_compliance') }}
    where not statutory
    group by 2
    union all
    select 'SYS-TRAIN-01', month_end, numerator, denominator
    from (
        -- the latest snapshot in the month, should two arrive
        select distinct on (month_end) month_end, as_at_date, numerator, denominator
        from (
            select as_at_date,
                   (date_trunc('month', as_at_date) + interval '1 month - 1 day')::date
                       as month_end,
                   sum(completed_on_time)::numeric as numerator,
                   sum(assigned_due)::numeric as denominator
            from {{ ref('int_workforce__training_compliance') }}
            group by as_at_date
        ) as snapshots
        order by month_end, as_at_date desc
    ) as latest

),

placed as (

    select
        m.*,
        d.frequency,
        d.aggregation,
        {{ fiscal_year_of('m.month_end') }} as fiscal_year,
        (({{ fiscal_period_of('m.month_end') }} - 1) / 3 + 1) as quarter
    from months as m
    join definitions as d using (indicator_id)
    where m.denominator > 0
        -- consultations are loaded with their planned dates: one ending after the
        -- latest month the operational feeds (contacts, training) reach is not yet
        -- reportable
        and m.month_end <= coalesce(
            (select max(o.month_end) from months as o where o.indicator_id <> 'SYS-CONSULT-01'),
            m.month_end)

),

-- months, quarters and years to date (at each quarter with data) of each indicator
periods as (

    select indicator_id, fiscal_year, 'month' as period_type, month_end as period_end,
           quarter, numerator, denominator, 1 as months_covered
    from placed
    where frequency = 'monthly'
    union all
    select p.indicator_id, p.fiscal_year, t.period_type,
           {{ fiscal_period_end('p.fiscal_year', 'p.quarter * 3') }} as period_end,
           p.quarter,
           case when max(p.aggregation) = 'last'
                then (array_agg(c.numerator order by c.month_end desc))[1]
                else sum(c.numerator) end,
           case when max(p.aggregation) = 'last'
                then (array_agg(c.denominator order by c.month_end desc))[1]
                else sum(c.denominator) end,
           count(*)
    from (select distinct indicator_id, fiscal_year, quarter, aggregation from placed) as p
    cross join (values ('quarter'), ('ytd')) as t (period_type)
    join placed as c
        on c.indicator_id = p.indicator_id and c.fiscal_year = p.fiscal_year
        and (c.quarter = p.quarter or (t.period_type = 'ytd' and c.quarter < p.quarter))
    group by p.indicator_id, p.fiscal_year, t.period_type, p.quarter

),

valued as (

    select
        p.*,
        d.indicator_name,
        d.frequency,
        d.aggregation,
        round(p.numerator * 100 / p.denominator, 1) as value,
        d.target,
        abs(d.target) * {{ var('indicator_default_tolerance_pct') }} / 100.0 as tolerance
    from periods as p
    join definitions as d using (indicator_id)

),

compared as (

    select
        v.*,
        coalesce(y.period_end, pr.period_end) as comparator_period_end,
        coalesce(y.value, pr.value) as comparator_value
    from valued as v
    -- the same period a year earlier, else the immediately previous period of its type
    left join valued as y
        on y.indicator_id = v.indicator_id and y.period_type = v.period_type
        and y.period_end = (date_trunc('month', v.period_end - interval '1 year')
                            + interval '1 month - 1 day')::date
    left join valued as pr
        on pr.indicator_id = v.indicator_id and pr.period_type = v.period_type
        and (pr.period_type <> 'ytd' or pr.fiscal_year = v.fiscal_year)
        and pr.period_end = (date_trunc('month', v.period_end)
                             - case when v.period_type = 'month' then interval '0 months'
                                    else interval '2 months' end
                             - interval '1 day')::date

)

select
    indicator_id,
    fiscal_year,
    period_type,
    period_end,
    quarter,
    indicator_name,
    '{{ var("system_indicator_directorate") }}'::text as directorate_code,
    null::text as council_plan_priority,
    frequency,
    '%'::text as unit,
    'higher'::text as polarity,
    aggregation,
    1 as decimals,
    value,
    numerator,
    denominator,
    months_covered,
    target as target_scaled,
    tolerance as tolerance_scaled,
    {{ indicator_rag('value', 'target', 'tolerance', "'higher'") }} as rag,
    {{ direction_of_travel('value', 'comparator_value', "'higher'") }} as direction_of_travel,
    comparator_period_end,
    comparator_value,
    false as is_provisional,
    true as is_public,
    null::text as commentary,
    null::timestamptz as submitted_at,
    null::text as sha256
from compared
