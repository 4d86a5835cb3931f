-- Movement rule (rules.md "Risk"): the current score against the register's previous
-- snapshot (the latest earlier snapshot date loaded, whichever risks it held).
--   new       not in the previous snapshot (every risk of the first snapshot loaded)
--   closed    closed in this snapshot and not already closed in the previous one; or
--             open in the previous snapshot and missing from this one. A missing risk
--             would otherwise vanish without a word, so it gets one row here, in the
--             first snapshot it is missing from (in_snapshot false, its last values
--             carried by risk_register); after that it is gone.
--   up / down / no change   the current score against the previous one (closed in both
--             snapshots is `no change`: it was reported `closed` when it closed).

with register as (

    select snapshot_date, risk_id, status, current_score, sha256
    from {{ ref('int_risk__scores') }}

),

snapshots as (

    select
        snapshot_date,
        lag(snapshot_date) over (order by snapshot_date) as previous_snapshot_date,
        -- a snapshot's rows come from one file (replace scope snapshot_date): the
        -- file a missing risk is missing from
        sha256
    from (select snapshot_date, min(sha256) as sha256 from register group by 1) as s

),

listed as (

    select
        r.snapshot_date,
        r.risk_id,
        true as in_snapshot,
        r.snapshot_date as values_from_snapshot_date,
        s.previous_snapshot_date,
        p.status as previous_status,
        p.current_score as previous_score,
        r.status,
        r.current_score,
        r.sha256
    from register as r
    join snapshots as s on s.snapshot_date = r.snapshot_date
    left join register as p
        on p.snapshot_date = s.previous_snapshot_date and p.risk_id = r.risk_id

),

missing as (

    select
        s.snapshot_date,
        p.risk_id,
        false as in_snapshot,
        p.snapshot_date as values_from_snapshot_date,
        s.previous_snapshot_date,
        p.status as previous_status,
        p.current_score as previous_score,
        'closed' as status,
        p.current_score,
        s.sha256
    from snapshots as s
    join register as p
        on p.snapshot_date = s.previous_snapshot_date and p.status = 'open'
    where not exists (
        select 1 from register as r
        where r.snapshot_date = s.snapshot_date and r.risk_id = p.risk_id
    )

),

both_ as (

    select * from listed
    union all
    select * from missing

)

select
    snapshot_date,
    risk_id,
    in_snapshot,
    values_from_snapshot_date,
    previous_snapshot_date,
    previous_status,
    previous_score,
    status,
    current_score,
    case
        when not in_snapshot then 'closed'
        when status = 'closed' and previous_status is distinct from 'closed' then 'closed'
        when previous_status is null then 'new'
        when current_score > previous_score then 'up'
        when current_score < previous_score then 'down'
        else 'no change'
    end as movement,
    sha256
from both_
