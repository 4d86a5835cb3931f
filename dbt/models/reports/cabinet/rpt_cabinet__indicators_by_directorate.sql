-- Indicators counted by RAG per directorate (contracts/packs.md, Cabinet): one row per
-- line of the pack's table, directorates by name (ignoring case), then the
-- 'All indicators' total line. Each indicator the pack lists for the quarter
-- (rpt_cabinet__indicators) is counted once, by its RAG for the quarter. A row whose
-- directorate is not in the reference data is still counted, on a line of its own
-- before the total; ties of names that differ only in case keep the order the pack
-- lists them in.

{{ counts_per_line_with_total(
    rows=ref('rpt_cabinet__indicators'),
    group_by='directorate_name',
    name="coalesce(directorate_name, 'Directorate not known')",
    name_column='name',
    line_columns={
        'is_unknown': 'directorate_name is null',
        'first_listed': 'min(sort_order)',
    },
    order_by='is_unknown, lower(name) collate "C", first_listed',
    counted='rag',
    categories=indicator_rags(),
    total_name='All indicators',
) }}
