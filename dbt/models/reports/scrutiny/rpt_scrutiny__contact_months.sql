-- Customer contact month by month (rules.md "Customer contact"), April to each
-- quarter's end: the scrutiny pack's contact table, one row per month. The rates are
-- the mart's: phone answer rate from the month's phone row, digital share and resolved
-- at first contact from its `all` row. A month with no `all` row totals its channels.

with monthly as (

    select * from {{ ref('contact_monthly') }}

),

quarters as (

    select fiscal_year, quarter from {{ ref('int_calendar__fiscal_quarters') }}

),

months as (

    select
        fiscal_year,
        period,
        min(month_start) as month_start,
        bool_or(channel = 'all') as has_all_row,
        sum(contacts) filter (where channel = 'all') as all_contacts,
        coalesce(sum(contacts) filter (where channel <> 'all'), 0) as channel_contacts,
        max(phone_answer_rate) filter (where channel = 'phone') as phone_answer_rate,
        max(digital_share) filter (where channel = 'all') as digital_share,
        max(resolved_first_contact) filter (where channel = 'all') as resolved_first_contact
    from monthly
    group by fiscal_year, period

)

select
    q.fiscal_year::text as fiscal_year,
    q.quarter::int as quarter,
    m.period::int as period,
    m.month_start::date as month_start,
    (case when m.has_all_row then m.all_contacts else m.channel_contacts end)::int
        as contacts,
    m.phone_answer_rate::numeric as phone_answer_rate,
    m.digital_share::numeric as digital_share,
    m.resolved_first_contact::numeric as resolved_first_contact
from quarters as q
-- the year to date: every month of the fiscal year up to the quarter's last
join months as m
    on m.fiscal_year = q.fiscal_year and m.period <= q.quarter * 3
