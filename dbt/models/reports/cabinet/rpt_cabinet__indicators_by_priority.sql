-- Indicators counted by RAG per Council Plan priority (contracts/packs.md, Cabinet): one
-- row per line of the pack's table, priorities by name (ignoring case), then the
-- indicators with no priority under 'No Council Plan priority', then the
-- 'All indicators' total line. Each indicator the pack lists for the quarter
-- (rpt_cabinet__indicators) is counted once, by its RAG for the quarter.

with indicators as (

    select * from {{ ref('rpt_cabinet__indicators') }}

),

lines as (

    select
        fiscal_year,
        quarter,
        coalesce(council_plan_priority, 'No Council Plan priority') as name,
        council_plan_priority is null as is_no_priority,
        count(*) filter (where rag = 'Red')::integer as red,
        count(*) filter (where rag = 'Amber')::integer as amber,
        count(*) filter (where rag = 'Green')::integer as green,
        count(*) filter (where rag = 'Data only')::integer as data_only,
        count(*) filter (where rag = 'Not returned')::integer as not_returned,
        count(*)::integer as total,
        -- ties of names that differ only in case keep the order the pack lists them in
        min(sort_order) as first_listed
    from indicators
    group by fiscal_year, quarter, council_plan_priority

),

ordered as (

    select
        *,
        row_number() over (
            partition by fiscal_year, quarter
            order by is_no_priority, lower(name) collate "C", first_listed
        )::integer as sort_order
    from lines

),

total as (

    select
        fiscal_year,
        quarter,
        'All indicators'::text as name,
        sum(red)::integer as red,
        sum(amber)::integer as amber,
        sum(green)::integer as green,
        sum(data_only)::integer as data_only,
        sum(not_returned)::integer as not_returned,
        sum(total)::integer as total,
        (count(*) + 1)::integer as sort_order
    from lines
    group by fiscal_year, quarter

)

select
    fiscal_year, quarter, name, is_no_priority, false as is_total,
    red, amber, green, data_only, not_returned, total, sort_order
from ordered

union all

select
    fiscal_year, quarter, name, false as is_no_priority, true as is_total,
    red, amber, green, data_only, not_returned, total, sort_order
from total
