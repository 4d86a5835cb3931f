-- The transparency-spend pack's "Top suppliers" table (rules.md "Payments"): the 10
-- organisations the council paid most in the month, one row per supplier, ranked.
-- Individuals are never named and never ranked: their payments are left out here.

with payments as (

    select * from {{ ref('transparency_spend') }}

),

organisations as (

    -- A payment to an individual reads `Redacted personal data` (any case or spacing),
    -- or has no supplier name at all: the pack treats both as an individual.
    select * from payments
    where supplier_name is not null
      and lower(btrim(supplier_name, E' \t\n\r\f\v')) <> 'redacted personal data'

),

suppliers as (

    select
        fiscal_year,
        period,
        supplier_name,
        count(*) as payments,
        sum(amount) as amount
    from organisations
    group by fiscal_year, period, supplier_name

),

ranked as (

    -- A supplier whose refunds outweigh its payments is not one "we paid most": only
    -- positive totals are ranked, largest first, then by name (character order, so the
    -- ranking does not depend on the database's collation).
    select
        *,
        row_number() over (
            partition by fiscal_year, period
            order by amount desc, supplier_name collate "C"
        ) as supplier_rank
    from suppliers
    where amount > 0

)

select
    fiscal_year::text as fiscal_year,
    period::integer as period,
    supplier_rank::integer as supplier_rank,
    supplier_name::text as supplier_name,
    payments::integer as payments,
    amount::numeric as amount
from ranked
-- the pack shows the top 10
where supplier_rank <= 10
