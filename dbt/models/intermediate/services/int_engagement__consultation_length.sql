-- Consultation length (rules.md "Consultations"): counting days are the calendar days
-- from start_date to end_date inclusive, less any from 24 December to 1 January
-- inclusive; 42 are required (var consultation_required_days), 14 more (var
-- consultation_august_extra_days) when any day of the consultation falls in August.

with consultations as (

    select * from {{ ref('stg_engagement__consultations') }}

),

days as (

    select
        c.consultation_id,
        count(d.day) filter (where not {{ is_christmas_shutdown('d.day') }}) as counting_days,
        coalesce(bool_or(extract(month from d.day) = 8), false) as includes_august
    from consultations as c
    left join lateral (
        select generate_series(c.start_date, c.end_date, interval '1 day')::date as day
    ) as d on true
    group by c.consultation_id

)

select
    c.consultation_id,
    c.title,
    c.lead_service_code,
    c.start_date,
    c.end_date,
    c.statutory,
    d.counting_days,
    d.includes_august,
    {{ var('consultation_required_days') }}
        + case when d.includes_august then {{ var('consultation_august_extra_days') }} else 0 end
        as required_days,
    c.parishes_notified_date,
    c.responses,
    c.file_id,
    c.sha256,
    c.line_number
from consultations as c
join days as d on d.consultation_id = c.consultation_id
