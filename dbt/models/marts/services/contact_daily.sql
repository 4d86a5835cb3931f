-- Customer contacts per London day, channel and service (docs/services-marts.md).
-- Incremental, delete+insert by day: a build rebuilds only the days touched by raw rows
-- loaded since the last build, i.e. whose loaded_at is later than the latest loaded_at
-- the mart holds. The delete key is the day, the feed's replace scope, not the row grain:
-- a restated day that lost a (channel, service) pair must lose that row too, which a
-- delete on the full grain would leave behind. The grain's uniqueness is a blocking test.
-- Ingestion and dbt run one after the other (pipelines), so no load commits mid-build
-- with an older loaded_at. To rebuild every day: `dbt build --full-refresh`.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='contact_date',
    on_schema_change='fail'
) }}

with contacts as (

    select * from {{ ref('int_customer__contacts_london') }}
    {% if is_incremental() %}
    where contact_date in (
        select distinct contact_date from {{ ref('int_customer__contacts_london') }}
        where loaded_at > (select coalesce(max(loaded_at), '-infinity'::timestamptz)
                           from {{ this }})
    )
    {% endif %}

)

select
    contact_date::date as contact_date,
    channel::text as channel,
    service_code::text as service_code,
    count(*)::integer as contacts,
    count(*) filter (where outcome = 'abandoned')::integer as abandoned,
    count(*) filter (where outcome = 'resolved')::integer as resolved,
    count(*) filter (where outcome <> 'abandoned')::integer as not_abandoned,
    case when channel = 'phone' then round(avg(wait_seconds), 2) end::numeric
        as avg_wait_seconds,
    fiscal_year::text as fiscal_year,
    period::integer as period,
    max(loaded_at)::timestamptz as loaded_at,
    -- when this row was (re)built: the other days keep theirs through an incremental run
    now()::timestamptz as built_at
from contacts
group by contact_date, channel, service_code, fiscal_year, period
