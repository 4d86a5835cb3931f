-- Calendar (rules.md): every fiscal quarter the quarterly report models are keyed by,
-- from var reporting_first_fiscal_year to the fiscal year after today's. Quarter 1 is
-- April-June, quarter 4 January-March; a quarter's month-end is its period end.

with years as (

    select generate_series(
        {{ var('reporting_first_fiscal_year') }},
        extract(year from current_date)::int + 1
    ) as start_year

),

quarters as (

    select
        start_year,
        q as quarter
    from years
    cross join generate_series(1, 4) as q

)

select
    start_year::text || '-' || lpad(((start_year + 1) % 100)::text, 2, '0') as fiscal_year,
    quarter,
    (make_date(start_year, 4, 1) + make_interval(months => 3 * (quarter - 1)))::date
        as quarter_start,
    (make_date(start_year, 4, 1) + make_interval(months => 3 * quarter)
        - interval '1 day')::date as quarter_end,
    make_date(start_year, 4, 1) as year_start
from quarters
