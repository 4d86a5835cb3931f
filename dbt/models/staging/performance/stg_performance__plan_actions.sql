-- performance/plan_actions: Quarterly progress updates on the Council Plan's actions.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'performance__plan_actions') }}
    where _replaced_at is null

),

renamed as (

    select
        action_id,
        action_title,
        priority,
        lead_directorate_code,
        fiscal_year,
        quarter,
        status,
        due_date,
        percent_complete,
        update_text,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
