-- performance/indicators: Definitions of the councilwide indicators (161), with targets.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'performance__indicators') }}
    where _replaced_at is null

),

renamed as (

    select
        indicator_id,
        indicator_name,
        directorate_code,
        frequency,
        polarity,
        unit,
        aggregation,
        decimals,
        council_plan_priority,
        fiscal_year,
        target,
        tolerance,
        owner,
        is_public,
        targets,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
