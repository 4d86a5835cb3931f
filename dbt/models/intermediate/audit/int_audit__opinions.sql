-- Opinions rule (rules.md "Internal audit"): best to worst substantial, reasonable,
-- limited, no. One row per final report, with its opinion's rank (1 best, 4 worst;
-- empty when the report gives none, as investigations, grant certifications and
-- advisory work may).

select
    snapshot_date,
    audit_id,
    plan_year,
    audit_type,
    is_restricted,
    assurance_opinion,
    case assurance_opinion
        when 'substantial' then 1
        when 'reasonable' then 2
        when 'limited' then 3
        when 'no' then 4
    end as opinion_rank
from {{ ref('int_audit__plan_scope') }}
where status = 'final report'
