-- audit/recommendations: Agreed audit actions and their progress, a snapshot.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'audit__recommendations') }}
    where _replaced_at is null

),

renamed as (

    select
        snapshot_date,
        recommendation_id,
        audit_id,
        priority,
        agreed_action,
        action_owner,
        original_due_date,
        revised_due_date,
        status,
        implemented_date,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
