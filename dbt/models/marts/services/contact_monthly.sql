-- Customer contact by month and channel, with the month's `all` row carrying digital
-- share and resolved at first contact (docs/services-marts.md).

with monthly as (

    select * from {{ ref('int_customer__contact_monthly') }}

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    month_start::date as month_start,
    channel::text as channel,
    contacts::integer as contacts,
    abandoned::integer as abandoned,
    resolved::integer as resolved,
    not_abandoned::integer as not_abandoned,
    avg_wait_seconds::numeric as avg_wait_seconds,
    phone_answer_rate::numeric as phone_answer_rate,
    digital_share::numeric as digital_share,
    resolved_first_contact::numeric as resolved_first_contact
from monthly
