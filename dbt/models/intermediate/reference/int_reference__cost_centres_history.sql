-- Every version of reference/cost_centres with the time it was in force (macros/reference_history.sql).
-- depends_on: {{ ref('stg_reference__cost_centres') }}
{{ reference_history('stg_reference__cost_centres') }}
