-- The transparency-spend pack's "By service area" table (rules.md "Payments": spend
-- analysis counts all payments; individuals are never shown by name): per service area
-- of the month, the payments to organisations, to individuals and all, and their
-- amount, then the "All service areas" total row (is_total) last.
-- The counts are exact here; the pack applies disclosure control to them (counts of
-- individuals 1-4 shown as <5, with secondary suppression) when it renders them.

with payments as (

    select
        fiscal_year,
        period,
        -- a payment with no service area is counted under `Not given`, never dropped
        coalesce(nullif(department, ''), 'Not given') as service_area,
        -- an individual: `Redacted personal data` (any case or spacing) or no name
        (supplier_name is null
         or lower(btrim(supplier_name, E' \t\n\r\f\v')) = 'redacted personal data')
            as is_individual,
        amount
    from {{ ref('transparency_spend') }}

),

areas as (

    select
        fiscal_year,
        period,
        service_area,
        false as is_total,
        count(*) filter (where not is_individual) as organisations,
        count(*) filter (where is_individual) as individuals,
        count(*) as payments,
        sum(amount) as amount
    from payments
    group by fiscal_year, period, service_area

),

total as (

    -- Every payment of the month, whatever its area: the table's footer, and the
    -- headline "N payments, £X in total".
    select
        fiscal_year,
        period,
        'All service areas' as service_area,
        true as is_total,
        count(*) filter (where not is_individual) as organisations,
        count(*) filter (where is_individual) as individuals,
        count(*) as payments,
        sum(amount) as amount
    from payments
    group by fiscal_year, period

),

ordered as (

    -- Areas by name in character order (not the database's collation), the total last.
    select
        *,
        row_number() over (
            partition by fiscal_year, period
            order by is_total, service_area collate "C"
        ) as sort_order
    from (select * from areas union all select * from total) as area_rows

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    sort_order::integer as sort_order,
    service_area::text as service_area,
    is_total::boolean as is_total,
    organisations::integer as organisations,
    individuals::integer as individuals,
    payments::integer as payments,
    amount::numeric as amount
from ordered
