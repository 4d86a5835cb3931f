-- benchmark/comparators: the authorities the council compares itself with.
-- Current rows only: each file is a full snapshot and replaces the one before.

with source as (

    select * from {{ source('benchmark', 'benchmark__comparators') }}
    where _replaced_at is null

),

renamed as (

    select
        area_code,
        area_name,
        comparator_set,
        is_council,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
