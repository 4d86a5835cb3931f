-- Above appetite rule (rules.md "Risk"): the current score is above the target score
-- (the score the council is prepared to live with). Equal is within appetite.

select
    snapshot_date,
    risk_id,
    current_score,
    target_score,
    current_score > target_score as above_appetite
from {{ ref('int_risk__scores') }}
