-- reference/services: Services and the directorate each sits in; a full snapshot.
-- Reference data keeps every version (replaced rows too): history is needed to
-- place a cost centre in the structure in force at each period's end.

with source as (

    select * from {{ source('raw', 'reference__services') }}

),

renamed as (

    select
        service_code,
        service_name,
        directorate_code,
        head_of_service,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at,
        _replaced_at as replaced_at
    from source

)

select * from renamed
