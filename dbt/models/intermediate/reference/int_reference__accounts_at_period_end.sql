-- The chart of accounts in force at each reporting period's end (history kept).

with periods as (

    select * from {{ ref('int_finance__fiscal_periods') }}

),

accounts as (
    {{ reference_at_period_end(ref('int_reference__accounts_history'), 'periods') }}
)

select
    fiscal_year,
    period,
    account_code,
    account_name,
    account_group,
    account_type
from accounts
