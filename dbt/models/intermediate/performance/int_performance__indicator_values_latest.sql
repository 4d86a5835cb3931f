-- Indicator values (rules.md "Indicators"; sources.md performance/indicator_values): one
-- value per indicator and period end, the one with the latest submitted_at, whether the
-- later row came in the same file or a later one. Ingestion already marks the losers
-- replaced; this holds the rule again so it never depends on load order.
-- A value whose status is `provisional` is marked as such.

with values_returned as (

    select * from {{ ref('stg_performance__indicator_values') }}

)

select distinct on (indicator_id, period_end)
    indicator_id,
    period_end,
    {{ fiscal_year_of('period_end') }} as fiscal_year,
    value,
    numerator,
    denominator,
    status,
    coalesce(status = 'provisional', false) as is_provisional,
    commentary,
    submitted_by,
    submitted_at,
    file_id,
    sha256,
    line_number
from values_returned
order by indicator_id, period_end, submitted_at desc, file_id desc, line_number desc
