-- Consultation compliance (rules.md "Consultations"): compliant when the counting days
-- reach the required days; statutory consultations are reported as `statutory` and not
-- judged. Parishes notified in time: on or before start_date (empty when not notified).

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
    case when parishes_notified_date is not null
         then parishes_notified_date <= start_date end as parishes_notified_in_time
from consultations
