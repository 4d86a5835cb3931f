-- Indicators counted by RAG per Council Plan priority (contracts/packs.md, Cabinet): one
-- row per line of the pack's table, priorities by name (ignoring case), then the
-- indicators with no priority under 'No Council Plan priority', then the
-- 'All indicators' total line. Each indicator the pack lists for the quarter
-- (rpt_cabinet__indicators) is counted once, by its RAG for the quarter. Ties of names
-- that differ only in case keep the order the pack lists them in.

{{ counts_per_line_with_total(
    rows=ref('rpt_cabinet__indicators'),
    group_by='council_plan_priority',
    name="coalesce(council_plan_priority, 'No Council Plan priority')",
    name_column='name',
    line_columns={
        'is_no_priority': 'council_plan_priority is null',
        'first_listed': 'min(sort_order)',
    },
    flags=['is_no_priority'],
    order_by='is_no_priority, lower(name) collate "C", first_listed',
    counted='rag',
    categories=indicator_rags(),
    total_name='All indicators',
) }}
