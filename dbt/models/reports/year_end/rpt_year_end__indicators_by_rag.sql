-- Indicators at year end counted by RAG (rules.md "Indicators"): Red, Amber, Green,
-- Data only and Not returned, each with its count (0 when none), for every fiscal year
-- with year-end rows. The year-end summary's RAG table and headline.

with indicators as (

    select * from {{ ref('rpt_year_end__indicators') }}

),

years as (

    select distinct fiscal_year from indicators

)

{{ counts_per_category(
    keys='years', key_columns=['fiscal_year'],
    rows='indicators', category_column='rag',
    categories=indicator_rags(),
    counted='indicator_id', count_as='indicators',
) }}
