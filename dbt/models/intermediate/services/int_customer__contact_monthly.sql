-- Customer contact rates by month (rules.md "Customer contact"): per channel, counts, the
-- phone average wait and phone answer rate (not abandoned / all phone contacts); plus a
-- row per month with channel `all` carrying digital share ((online form + email +
-- webchat) / all contacts) and resolved at first contact (resolved / all not abandoned).
-- Read from the contacts, not from contact_daily, so the average wait is over calls,
-- not an average of daily averages.

with contacts as (

    select * from {{ ref('int_customer__contacts_london') }}

),

counted as (

    select
        fiscal_year,
        period,
        date_trunc('month', contact_date)::date as month_start,
        channel,
        count(*) as contacts,
        count(*) filter (where outcome = 'abandoned') as abandoned,
        count(*) filter (where outcome = 'resolved') as resolved,
        count(*) filter (where outcome <> 'abandoned') as not_abandoned,
        count(*) filter (where channel in ('online form', 'email', 'webchat')) as digital,
        avg(wait_seconds) filter (where channel = 'phone') as avg_wait
    from contacts
    group by 1, 2, 3, 4

),

by_channel as (

    select
        fiscal_year, period, month_start, channel, contacts, abandoned, resolved,
        not_abandoned, digital,
        round(avg_wait, 2) as avg_wait_seconds,
        case when channel = 'phone' then {{ pct_or_null('not_abandoned', 'contacts') }} end
            as phone_answer_rate,
        null::numeric as digital_share,
        null::numeric as resolved_first_contact
    from counted

),

all_channels as (

    select
        fiscal_year, period, month_start, 'all' as channel,
        sum(contacts) as contacts, sum(abandoned) as abandoned, sum(resolved) as resolved,
        sum(not_abandoned) as not_abandoned, sum(digital) as digital,
        null::numeric as avg_wait_seconds,
        null::numeric as phone_answer_rate,
        {{ pct_or_null('sum(digital)', 'sum(contacts)') }} as digital_share,
        {{ pct_or_null('sum(resolved)', 'sum(not_abandoned)') }} as resolved_first_contact
    from counted
    group by 1, 2, 3

)

select * from by_channel
union all
select * from all_channels
