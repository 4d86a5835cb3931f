-- benchmark/indicators: the council's word on each benchmark indicator (which way is
-- better, and the council indicator it sits beside). Current rows only.

with source as (

    select * from {{ source('benchmark', 'benchmark__indicators') }}
    where _replaced_at is null

),

renamed as (

    select
        indicator,
        measure,
        polarity,
        indicator_id,
        short_name,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number
    from source

)

select * from renamed
