-- Every version of reference/accounts with the time it was in force (macros/reference_history.sql).
-- depends_on: {{ ref('stg_reference__accounts') }}
{{ reference_history('stg_reference__accounts') }}
