-- Rating rule (rules.md "Risk"): each score's band by the risk_rating macro
-- (1-4 Low, 5-9 Medium, 10-15 High, 16-25 Very high; edges are dbt vars).

select
    snapshot_date,
    risk_id,
    {{ risk_rating('inherent_score') }} as inherent_rating,
    {{ risk_rating('current_score') }} as current_rating,
    {{ risk_rating('target_score') }} as target_rating
from {{ ref('int_risk__scores') }}
