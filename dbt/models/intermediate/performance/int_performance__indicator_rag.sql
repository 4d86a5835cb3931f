-- Target, tolerance and RAG (rules.md "Indicators").
-- Target: the indicator's target for the fiscal year (from the definition in force at the
-- period's end); a quarterly or year-to-date value of a `sum` indicator is judged against
-- its own-frequency target times the periods it covers (monthly target x months covered).
-- Tolerance: the indicator's own, scaled the same way; when blank, a share of |target|
-- (var indicator_default_tolerance_pct, 5%).
-- The value is rounded to the indicator's decimals BEFORE it is compared, so a value that
-- rounds onto the Amber boundary is Amber.

with aggregated as (

    select * from {{ ref('int_performance__indicator_aggregated') }}

),

scaled as (

    select
        *,
        round(value_unrounded, decimals) as value,
        case when aggregation = 'sum' then target * periods_covered else target end
            as target_scaled,
        case when aggregation = 'sum' then tolerance * periods_covered else tolerance end
            as own_tolerance_scaled
    from aggregated

),

judged as (

    select
        *,
        -- trim_scale: 5% of 80 reads 4, not 4.0000000000000000; the value is unchanged
        trim_scale(coalesce(own_tolerance_scaled,
                            abs(target_scaled) * {{ var('indicator_default_tolerance_pct') }} / 100.0))
            as tolerance_scaled
    from scaled

)

select
    *,
    {{ indicator_rag('value', 'target_scaled', 'tolerance_scaled', 'polarity') }} as rag
from judged
