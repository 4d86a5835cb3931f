-- benchmark/measures: published figures, one row per line of the file as loaded. The
-- period was read at ingestion (ingest/set_rules.py) into its first and last day, kind
-- and label; `NA` (a figure not published) becomes null. Files with several value
-- columns keep them in `value_columns` (unpivoted in int_benchmark__figures).

with source as (

    select * from {{ source('benchmark', 'benchmark__measures') }}
    where _replaced_at is null

),

renamed as (

    select
        area_code,
        area_name,
        area_type,
        period as period_as_published,
        period_start,
        period_end,
        period_type,
        period_label,
        indicator,
        measure,
        unit,
        -- checked numeric (or NA) at ingestion, so the cast cannot fail
        case when upper(btrim(value)) = 'NA' then null else value::numeric end as value,
        "values" as value_columns,
        nullif(compared_to_england, 'NA') as compared_to_england,
        nullif(inequality, 'NA') as inequality,
        _file_id as file_id,
        _sha256 as sha256,
        _line_number as line_number,
        _loaded_at as loaded_at
    from source

)

select * from renamed
