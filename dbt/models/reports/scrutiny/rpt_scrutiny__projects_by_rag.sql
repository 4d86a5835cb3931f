-- Projects counted by overall RAG for each quarter's snapshot (rules.md "Corporate
-- projects and capital"): the four ratings, worst first, each with its count (0 when
-- none), for every quarter that has a snapshot. The pack's line "n Red, n Amber/Red,
-- n Amber/Green, n Green".

with projects as (

    select * from {{ ref('rpt_scrutiny__projects') }}

),

quarters as (

    -- a quarter's projects are all of its one snapshot (as_at_date)
    select distinct fiscal_year, quarter, as_at_date from projects

)

{{ counts_per_category(
    keys='quarters', key_columns=['fiscal_year', 'quarter', 'as_at_date'],
    rows='projects', category_column='overall_rag',
    categories=['Red', 'Amber/Red', 'Amber/Green', 'Green'],
    counted='project_id', count_as='projects',
) }}
