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

)

{{ counts_per_category(
    keys='quarters', key_columns=['fiscal_year', 'quarter'],
    rows='consultations', category_column='status',
    categories=['compliant', 'too short', 'statutory'],
    counted='consultation_id', count_as='consultations',
) }}
