-- Consultation compliance (rules.md "Consultations"): compliant when the counting days
-- reach the required days; statutory consultations are reported as `statutory` and not
-- judged. Parishes notified in time: on or before start_date; a consultation with no
-- parishes_notified_date was not notified in time (false, never empty).

with consultations as (

    select * from {{ ref('int_engagement__consultation_length') }}

)

select
    *,
    case when not statutory then counting_days >= required_days end as compliant,
    case
        when statutory then 'statutory'
        when counting_days >= required_days then 'compliant'
        else 'too short'
    end as status,
    coalesce(parishes_notified_date <= start_date, false) as parishes_notified_in_time
from consultations
