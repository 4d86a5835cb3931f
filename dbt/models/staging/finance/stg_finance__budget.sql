-- finance/budget: Approved revenue budget, revised by virements.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'finance__budget') }}
    where _replaced_at is null

),

renamed as (

    select
        fiscal_year,
        cost_centre,
        account_code,
        original_budget,
        current_budget,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
