-- finance/capital: Capital programme and corporate projects, a quarterly snapshot.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'finance__capital') }}
    where _replaced_at is null

),

renamed as (

    select
        as_at_date,
        project_id,
        project_name,
        directorate_code,
        approved_budget,
        spend_to_date,
        forecast_outturn,
        baseline_end_date,
        forecast_end_date,
        rag_time,
        rag_cost,
        rag_scope,
        rag_benefits,
        stage,
        sponsor,
        is_capital,
        commentary,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
