-- Every loaded payment (docs/finance-marts.md); individuals never by name.

select
    transaction_date::date as transaction_date,
    transaction_number::text as transaction_number,
    amount::numeric as amount,
    supplier_name::text as supplier_name,
    supplier_id::text as supplier_id,
    department::text as department,
    expenditure_category::text as expenditure_category,
    expenditure_code::text as expenditure_code,
    capital_or_revenue::text as capital_or_revenue,
    body_name::text as body_name,
    is_individual::boolean as is_individual,
    transaction_month::date as transaction_month,
    fiscal_year::text as fiscal_year,
    period::integer as period,
    sha256::text as sha256,
    line_number::integer as line_number
from {{ ref('int_payments__payments') }}
