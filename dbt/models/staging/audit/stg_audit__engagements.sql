-- audit/engagements: The internal audit plan and its results, a snapshot.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'audit__engagements') }}
    where _replaced_at is null

),

renamed as (

    select
        snapshot_date,
        audit_id,
        audit_title,
        directorate_code,
        plan_year,
        audit_type,
        status,
        assurance_opinion,
        planned_days,
        actual_days,
        draft_issued,
        final_issued,
        restricted,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
