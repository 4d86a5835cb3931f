-- Score rule (rules.md "Risk"): likelihood x impact, each 1-5, for the inherent,
-- current and target positions of every risk in every register snapshot.

with register as (

    select * from {{ ref('stg_risk__register') }}

)

select
    snapshot_date,
    risk_id,
    risk_title,
    register,
    owner,
    category,
    status,
    inherent_likelihood,
    inherent_impact,
    inherent_likelihood * inherent_impact as inherent_score,
    current_likelihood,
    current_impact,
    current_likelihood * current_impact as current_score,
    target_likelihood,
    target_impact,
    target_likelihood * target_impact as target_score,
    next_review_due,
    last_reviewed,
    file_id,
    sha256,
    line_number
from register
