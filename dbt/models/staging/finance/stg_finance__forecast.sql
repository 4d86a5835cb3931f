-- finance/forecast: Budget managers' monthly full-year forecast outturn submissions.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'finance__forecast') }}
    where _replaced_at is null

),

renamed as (

    select
        fiscal_year,
        period,
        cost_centre,
        forecast_outturn,
        submitted_by,
        submitted_at,
        commentary,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
