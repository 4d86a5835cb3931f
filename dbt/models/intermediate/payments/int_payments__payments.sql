-- Payments (rules.md "Payments"): every loaded payment, with payments to individuals made
-- safe here, once, before any mart sees them: a supplier name of `Redacted personal data`
-- in any case (and surrounding spaces) is a person, shown exactly as
-- `Redacted personal data`, with no supplier id.

with payments as (

    select * from {{ ref('stg_finance__payments') }}

),

flagged as (

    select
        *,
        lower(trim(supplier_name)) = 'redacted personal data' as is_individual_payment
    from payments

)

select
    transaction_date,
    transaction_number,
    amount,
    case when is_individual_payment then 'Redacted personal data' else supplier_name end
        as supplier_name,
    case when is_individual_payment then null else supplier_id end as supplier_id,
    department,
    expenditure_category,
    expenditure_code,
    capital_or_revenue,
    body_name,
    is_individual_payment as is_individual,
    date_trunc('month', transaction_date)::date as transaction_month,
    {{ fiscal_year_of('transaction_date') }} as fiscal_year,
    {{ fiscal_period_of('transaction_date') }} as period,
    sha256,
    line_number
from flagged
