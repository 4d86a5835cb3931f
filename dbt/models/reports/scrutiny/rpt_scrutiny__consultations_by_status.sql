-- Consultations open during each quarter counted by result (rules.md "Consultations"):
-- long enough (`compliant`), `too short`, `statutory` (judged by their own rules), 0
-- when none. A row for every quarter once any consultation is loaded, so a quarter in
-- which none ran reads "no consultation ran", not "not yet available".

with consultations as (

    select * from {{ ref('rpt_scrutiny__consultations') }}

),

quarters as (

    select q.fiscal_year, q.quarter
    from {{ ref('int_calendar__fiscal_quarters') }} as q
    where exists (select 1 from {{ ref('consultation_compliance') }})

),

statuses as (

    select * from (values
        ('compliant', 1), ('too short', 2), ('statutory', 3)
    ) as s (status, sort_order)

)

select
    q.fiscal_year::text as fiscal_year,
    q.quarter::int as quarter,
    s.status::text as status,
    count(c.consultation_id)::int as consultations,
    s.sort_order::int as sort_order
from quarters as q
cross join statuses as s
left join consultations as c
    on c.fiscal_year = q.fiscal_year and c.quarter = q.quarter and c.status = s.status
group by q.fiscal_year, q.quarter, s.status, s.sort_order
