{#
  Every version of a reference snapshot feed with the time it was in force: a
  deterministic equivalent of a dbt snapshot (type-2 history) built from what
  ingestion already keeps. valid_from = arrival of the file that brought the
  version (ops.files.arrived_at); valid_to = arrival of the next snapshot file,
  which replaced it (null while current).
#}
{% macro reference_history(staging_model) %}

with versions as (

    select * from {{ ref(staging_model) }}

),

files as (

    select file_id, arrived_at from {{ source('ops', 'files') }}

),

snapshots as (

    select
        v.file_id,
        f.arrived_at as valid_from,
        lead(f.arrived_at) over (order by f.arrived_at, v.file_id) as next_arrived_at
    from (select distinct file_id from versions) as v
    join files as f on f.file_id = v.file_id

)

select
    versions.*,
    snapshots.valid_from,
    case when versions.replaced_at is not null then snapshots.next_arrived_at end as valid_to,
    versions.replaced_at is null as is_current
from versions
join snapshots on snapshots.file_id = versions.file_id

{% endmacro %}
