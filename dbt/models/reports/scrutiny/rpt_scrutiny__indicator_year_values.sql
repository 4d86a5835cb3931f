-- The year so far of every indicator row the scrutiny pack shows (rpt_scrutiny__indicators):
-- the same indicator's values of the same period type in the fiscal year, its quarters
-- up to this one (or the year's rows), one row per value. Disclosure control (in the
-- pack, at render time) reads them to hide a count of people exactly as the Cabinet
-- pack does: the year's values are one line, so a lone hidden quarter is hidden with
-- another (rules.md "Publication and disclosure control"). Public rows only.

with public_results as (

    select * from {{ ref('indicator_results') }}
    where is_public is true
      and period_type in ('quarter', 'year')

),

shown as (

    select fiscal_year, quarter, indicator_id, period_type
    from {{ ref('rpt_scrutiny__indicators') }}

)

select
    s.fiscal_year::text as fiscal_year,
    s.quarter::int as quarter,
    s.indicator_id::text as indicator_id,
    s.period_type::text as period_type,
    h.period_end::date as period_end,
    h.value::numeric as value,
    h.sha256::text as sha256
from shown as s
join public_results as h
    on h.indicator_id = s.indicator_id
   and h.fiscal_year = s.fiscal_year
   and h.period_type = s.period_type
   and (h.period_type = 'year' or h.quarter <= s.quarter)
