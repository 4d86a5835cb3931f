-- workforce/training: Mandatory training from the learning system (pseudonymous people).
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'workforce__training') }}
    where _replaced_at is null

),

renamed as (

    select
        as_at_date,
        person_ref,
        directorate_code,
        course,
        assigned_date,
        due_date,
        completed_date,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
