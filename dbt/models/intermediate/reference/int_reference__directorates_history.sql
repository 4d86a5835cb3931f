-- Every version of reference/directorates with the time it was in force (macros/reference_history.sql).
-- depends_on: {{ ref('stg_reference__directorates') }}
{{ reference_history('stg_reference__directorates') }}
