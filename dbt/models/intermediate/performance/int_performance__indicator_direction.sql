-- Direction of travel (rules.md "Indicators"): against the same period a year earlier
-- when it has a value, else against the previous period of the same type (a year-to-date
-- value only against the previous quarter's year to date of the same year):
-- `improving`, `worsening` or `no change` by polarity; `changed` or `no change` for
-- polarity `none`. Rounded values are compared, as for RAG. Empty when there is nothing
-- to compare with.

with results as (

    select * from {{ ref('int_performance__indicator_rag') }}

),

compared as (

    select
        r.*,
        coalesce(year_ago.period_end, previous.period_end) as comparator_period_end,
        coalesce(year_ago.value, previous.value) as comparator_value
    from results as r
    left join results as year_ago
        on year_ago.indicator_id = r.indicator_id
        and year_ago.period_type = r.period_type
        and year_ago.period_number = r.period_number
        and year_ago.fiscal_year = {{ previous_fiscal_year('r.fiscal_year') }}
        and year_ago.value is not null
    left join lateral (
        select p.period_end, p.value
        from results as p
        where p.indicator_id = r.indicator_id
          and p.period_type = r.period_type
          and p.period_end < r.period_end
          and (r.period_type <> 'ytd' or p.fiscal_year = r.fiscal_year)
        order by p.period_end desc
        limit 1
    ) as previous on year_ago.value is null and previous.value is not null

)

select
    *,
    {{ direction_of_travel('value', 'comparator_value', 'polarity') }} as direction_of_travel
from compared
