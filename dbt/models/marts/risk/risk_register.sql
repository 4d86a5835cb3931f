-- The risk registers at every snapshot (docs/risk-audit-marts.md): scores, rating,
-- appetite, review and movement. A risk open in the previous snapshot and missing from
-- this one is shown once more, `closed`, with its last values (in_snapshot false).

with movement as (

    select * from {{ ref('int_risk__movement') }}

),

scores as (

    select * from {{ ref('int_risk__scores') }}

),

ratings as (

    select * from {{ ref('int_risk__ratings') }}

),

appetite as (

    select * from {{ ref('int_risk__above_appetite') }}

),

reviews as (

    select * from {{ ref('int_risk__review_overdue') }}

)

select
    m.snapshot_date::date as snapshot_date,
    m.risk_id::text as risk_id,
    s.risk_title::text as risk_title,
    s.register::text as register,
    s.owner::text as owner,
    s.category::text as category,
    m.status::text as status,
    s.inherent_likelihood::integer as inherent_likelihood,
    s.inherent_impact::integer as inherent_impact,
    s.inherent_score::integer as inherent_score,
    s.current_likelihood::integer as current_likelihood,
    s.current_impact::integer as current_impact,
    s.current_score::integer as current_score,
    s.target_likelihood::integer as target_likelihood,
    s.target_impact::integer as target_impact,
    s.target_score::integer as target_score,
    r.current_rating::text as rating,
    a.above_appetite::boolean as above_appetite,
    s.next_review_due::date as next_review_due,
    -- a carried row is closed, and a closed risk's review is never overdue
    (m.in_snapshot and v.review_overdue)::boolean as review_overdue,
    m.movement::text as movement,
    m.previous_score::integer as previous_score,
    m.sha256::text as sha256,
    m.in_snapshot::boolean as in_snapshot
from movement as m
join scores as s
    on s.snapshot_date = m.values_from_snapshot_date and s.risk_id = m.risk_id
join ratings as r
    on r.snapshot_date = m.values_from_snapshot_date and r.risk_id = m.risk_id
join appetite as a
    on a.snapshot_date = m.values_from_snapshot_date and a.risk_id = m.risk_id
join reviews as v
    on v.snapshot_date = m.values_from_snapshot_date and v.risk_id = m.risk_id
