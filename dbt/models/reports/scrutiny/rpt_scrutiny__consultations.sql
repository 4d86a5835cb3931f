-- Consultations open at any time during each quarter (rules.md "Consultations"): one
-- started before the quarter and still running counts, as does one that ended in it.
-- The number of responses is left out on purpose: a handful of respondents would be a
-- small count of people in a public pack. consultation_compliance carries no
-- public/restricted marking, so no row is left out here.

with consultations as (

    select * from {{ ref('consultation_compliance') }}

),

quarters as (

    select * from {{ ref('int_calendar__fiscal_quarters') }}

)

select
    q.fiscal_year::text as fiscal_year,
    q.quarter::int as quarter,
    c.consultation_id::text as consultation_id,
    c.title::text as title,
    c.start_date::date as start_date,
    c.end_date::date as end_date,
    c.statutory::boolean as statutory,
    c.counting_days::int as counting_days,
    c.includes_august::boolean as includes_august,
    c.required_days::int as required_days,
    c.status::text as status,
    c.parishes_notified_date::date as parishes_notified_date,
    c.parishes_notified_in_time::boolean as parishes_notified_in_time,
    c.sha256::text as sha256,
    row_number() over (
        partition by q.fiscal_year, q.quarter
        order by c.start_date, c.title, c.consultation_id
    )::int as sort_order
from quarters as q
join consultations as c
    on c.start_date <= q.quarter_end and c.end_date >= q.quarter_start
