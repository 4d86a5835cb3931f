-- Contacts by channel from April to each quarter's end (rules.md "Customer contact"):
-- the scrutiny pack's chart, one row per channel in the pack's order, then the `all`
-- row: every contact of the year to date (the months' totals added up).

with by_channel as (

    select * from {{ ref('rpt_scrutiny__contact_by_channel') }}

),

months as (

    select * from {{ ref('rpt_scrutiny__contact_months') }}

),

channels as (

    select
        fiscal_year,
        quarter,
        channel,
        channel_order as sort_order,
        sum(contacts) as contacts
    from by_channel
    group by fiscal_year, quarter, channel, channel_order

),

every_contact as (

    select
        fiscal_year,
        quarter,
        'all' as channel,
        -- after every channel
        1000 as sort_order,
        sum(contacts) as contacts
    from months
    group by fiscal_year, quarter

)

select
    fiscal_year::text as fiscal_year,
    quarter::int as quarter,
    channel::text as channel,
    contacts::int as contacts,
    sort_order::int as sort_order
from channels
union all
select
    fiscal_year::text,
    quarter::int,
    channel::text,
    contacts::int,
    sort_order::int
from every_contact
