-- Calendar rule (rules.md: all dates are Europe/London) applied to customer contacts: the
-- contact's day is the London date of received_at, so 23:30 UTC on a summer evening is
-- the next day. A view: contact_daily reads only the days it rebuilds, and a 365k-row
-- table copy on every build would defeat the incremental mart.
{{ config(materialized='view') }}

with contacts as (

    select * from {{ ref('stg_customer__contacts') }}

),

dated as (

    select
        contact_id,
        received_at,
        {{ london_date('received_at') }} as contact_date,
        channel,
        service_code,
        outcome,
        wait_seconds,
        handle_seconds,
        file_id,
        sha256,
        line_number,
        loaded_at
    from contacts

)

select
    *,
    {{ fiscal_year_of('contact_date') }} as fiscal_year,
    {{ fiscal_period_of('contact_date') }} as period
from dated
