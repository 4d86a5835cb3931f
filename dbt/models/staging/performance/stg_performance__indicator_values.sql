-- performance/indicator_values: Indicator values returned by services; the latest submission wins.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'performance__indicator_values') }}
    where _replaced_at is null

),

renamed as (

    select
        indicator_id,
        period_end,
        value,
        numerator,
        denominator,
        status,
        commentary,
        submitted_by,
        submitted_at,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
