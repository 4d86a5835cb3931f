-- Which snapshot of each risk and audit mart the audit-committee pack reads for a quarter
-- (contracts/packs.md): the risk register and the audit system export on their own
-- days, so each mart is read at its own latest snapshot on or before the quarter's end,
-- and the pack says which dates it used. The risk register's previous snapshot (the
-- one movement compares with, rules.md "Risk") is the register's snapshot before it.
-- One row per quarter of the calendar spine; a date is empty while its mart has no
-- snapshot by the quarter's end (the pack then says the data is not yet available).

with quarters as (

    select * from {{ ref('int_calendar__fiscal_quarters') }}

),

-- The days each mart holds a snapshot of (distinct, so the quarter join stays small).
-- A register snapshot is one export of the risk system holding every register, so its
-- date is taken over all registers, not the corporate one alone.
risk_days as (

    select distinct snapshot_date from {{ ref('risk_register') }}

),

engagement_days as (

    select distinct snapshot_date from {{ ref('audit_engagements') }}

),

plan_days as (

    select distinct snapshot_date from {{ ref('audit_plan_progress') }}

),

recommendation_days as (

    select distinct snapshot_date from {{ ref('audit_recommendations') }}

),

implementation_days as (

    select distinct snapshot_date from {{ ref('audit_implementation') }}

),

-- Each register snapshot with the one before it: what movement is measured against.
risk_previous as (

    select
        snapshot_date,
        lag(snapshot_date) over (order by snapshot_date) as previous_snapshot_date
    from risk_days

),

risk as (

    {{ snapshot_per_quarter('risk_days', 'snapshot_date') }}

),

engagements as (

    {{ snapshot_per_quarter('engagement_days', 'snapshot_date') }}

),

plan as (

    {{ snapshot_per_quarter('plan_days', 'snapshot_date') }}

),

recommendations as (

    {{ snapshot_per_quarter('recommendation_days', 'snapshot_date') }}

),

implementation as (

    {{ snapshot_per_quarter('implementation_days', 'snapshot_date') }}

)

select
    q.fiscal_year::text as fiscal_year,
    q.quarter::integer as quarter,
    q.year_start::date as year_start,
    q.quarter_end::date as quarter_end,
    r.snapshot_date::date as risk_snapshot_date,
    rd.previous_snapshot_date::date as risk_previous_snapshot_date,
    e.snapshot_date::date as engagements_snapshot_date,
    p.snapshot_date::date as plan_snapshot_date,
    rc.snapshot_date::date as recommendations_snapshot_date,
    i.snapshot_date::date as implementation_snapshot_date
from quarters as q
left join risk as r on r.fiscal_year = q.fiscal_year and r.quarter = q.quarter
left join risk_previous as rd on rd.snapshot_date = r.snapshot_date
left join engagements as e on e.fiscal_year = q.fiscal_year and e.quarter = q.quarter
left join plan as p on p.fiscal_year = q.fiscal_year and p.quarter = q.quarter
left join recommendations as rc on rc.fiscal_year = q.fiscal_year and rc.quarter = q.quarter
left join implementation as i on i.fiscal_year = q.fiscal_year and i.quarter = q.quarter
