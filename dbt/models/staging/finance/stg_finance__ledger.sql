-- finance/ledger: General-ledger actuals from the ERP, monthly (about 40,000 lines).
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'finance__ledger') }}
    where _replaced_at is null

),

renamed as (

    select
        transaction_id,
        posting_date,
        fiscal_year,
        period,
        cost_centre,
        account_code,
        amount,
        supplier_id,
        supplier_name,
        description,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
