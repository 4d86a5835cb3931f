-- Contacts by month and channel, April to each quarter's end (rules.md "Customer
-- contact"): one row per month and per channel seen in the year to date, 0 where a
-- channel had no contact that month, so every month's line of the pack's table has
-- the same columns. channel_order: phone, online form, email, webchat, face to face,
-- then any other channel by name.

with monthly as (

    select * from {{ ref('contact_monthly') }}
    where channel <> 'all'

),

months as (

    select * from {{ ref('rpt_scrutiny__contact_months') }}

),

-- the channels of each quarter's year to date, in the pack's order
channels as (

    select distinct
        m.fiscal_year,
        m.quarter,
        c.channel
    from months as m
    join monthly as c on c.fiscal_year = m.fiscal_year and c.period = m.period

),

ordered as (

    select
        fiscal_year,
        quarter,
        channel,
        row_number() over (
            partition by fiscal_year, quarter
            order by
                coalesce(array_position(
                    array['phone', 'online form', 'email', 'webchat', 'face to face'],
                    channel), 6),
                channel collate "C"
        ) as channel_order
    from channels

)

select
    m.fiscal_year::text as fiscal_year,
    m.quarter::int as quarter,
    m.period::int as period,
    o.channel::text as channel,
    o.channel_order::int as channel_order,
    coalesce(c.contacts, 0)::int as contacts
from months as m
join ordered as o on o.fiscal_year = m.fiscal_year and o.quarter = m.quarter
left join monthly as c
    on c.fiscal_year = m.fiscal_year and c.period = m.period and c.channel = o.channel
