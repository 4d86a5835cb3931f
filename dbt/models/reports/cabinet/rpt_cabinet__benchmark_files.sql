-- The benchmark files behind the cabinet pack's "How we compare", per quarter, with the
-- periods used and how old the latest figure is (macros/benchmarks.sql).

{{ benchmark_files(ref('rpt_cabinet__how_we_compare'), ref('rpt_cabinet__how_we_compare_areas')) }}
