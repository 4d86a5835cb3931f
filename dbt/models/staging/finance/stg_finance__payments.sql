-- finance/payments: Payments to suppliers: the data behind spend over £500.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'finance__payments') }}
    where _replaced_at is null

),

renamed as (

    select
        transaction_date,
        transaction_number,
        amount,
        supplier_name,
        department,
        expenditure_category,
        expenditure_code,
        capital_or_revenue,
        supplier_id,
        body_name,
        procurement_category,
        sercop_code,
        irrecoverable_vat,
        card_transaction,
        transaction_month,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
