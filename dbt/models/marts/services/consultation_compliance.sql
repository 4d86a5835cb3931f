-- Consultations judged against the required length, and whether parishes were told in
-- time (docs/services-marts.md).

with consultations as (

    select * from {{ ref('int_engagement__consultation_compliance') }}

)

select
    consultation_id::text as consultation_id,
    title::text as title,
    lead_service_code::text as lead_service_code,
    start_date::date as start_date,
    end_date::date as end_date,
    statutory::boolean as statutory,
    counting_days::integer as counting_days,
    includes_august::boolean as includes_august,
    required_days::integer as required_days,
    compliant::boolean as compliant,
    status::text as status,
    parishes_notified_date::date as parishes_notified_date,
    parishes_notified_in_time::boolean as parishes_notified_in_time,
    responses::integer as responses,
    sha256::text as sha256
from consultations
