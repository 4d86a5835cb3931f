-- Every version of reference/services with the time it was in force (macros/reference_history.sql).
-- depends_on: {{ ref('stg_reference__services') }}
{{ reference_history('stg_reference__services') }}
