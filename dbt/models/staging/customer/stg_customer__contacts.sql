-- customer/contacts: Daily CRM extract of customer contacts (about 800,000 a year).
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'customer__contacts') }}
    where _replaced_at is null

),

renamed as (

    select
        contact_id,
        received_at,
        channel,
        service_code,
        outcome,
        wait_seconds,
        handle_seconds,
        ward,
        contact_date,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
