-- risk/register: Risk registers, a monthly XLSX snapshot from the risk system.
-- Current rows only: a replaced row was restated by a later file.

with source as (

    select * from {{ source('raw', 'risk__register') }}
    where _replaced_at is null

),

renamed as (

    select
        snapshot_date,
        risk_id,
        risk_title,
        register,
        owner,
        inherent_likelihood,
        inherent_impact,
        current_likelihood,
        current_impact,
        target_likelihood,
        target_impact,
        next_review_due,
        status,
        category,
        controls,
        actions,
        last_reviewed,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
