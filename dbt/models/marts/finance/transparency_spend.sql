-- The council's spend-over-£500 publication (rules.md "Payments"): its own payments of
-- at least the threshold by absolute amount (a -£500 credit is published, £499.99 is
-- not), LGA columns first, individuals as `Redacted personal data`.

select
    body_name::text as body_name,
    transaction_date::date as transaction_date,
    transaction_number::text as transaction_number,
    supplier_name::text as supplier_name,
    amount::numeric as amount,
    department::text as department,
    expenditure_category::text as expenditure_category,
    capital_or_revenue::text as capital_or_revenue,
    fiscal_year::text as fiscal_year,
    period::integer as period,
    transaction_month::date as transaction_month,
    sha256::text as sha256
from {{ ref('int_payments__payments') }}
where body_name = '{{ var("council_name") | replace("'", "''") }}'
    and abs(amount) >= {{ var('transparency_threshold') }}
