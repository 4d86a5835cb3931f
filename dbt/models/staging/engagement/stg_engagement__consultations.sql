-- engagement/consultations: Consultations run by the council.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'engagement__consultations') }}
    where _replaced_at is null

),

renamed as (

    select
        consultation_id,
        title,
        lead_service_code,
        start_date,
        end_date,
        statutory,
        responses,
        parishes_notified_date,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
