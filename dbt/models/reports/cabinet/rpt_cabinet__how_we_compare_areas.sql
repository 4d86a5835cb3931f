-- The comparators' figures behind each "How we compare" entry of the cabinet pack: the
-- dots of its chart and the table beside it (macros/benchmarks.sql).

{{ how_we_compare_areas(ref('rpt_cabinet__how_we_compare')) }}
