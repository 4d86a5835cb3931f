-- The benchmark files behind the scrutiny pack's "How we compare", per quarter, with the
-- periods used and how old the latest figure is (macros/benchmarks.sql).

{{ benchmark_files(ref('rpt_scrutiny__how_we_compare'), ref('rpt_scrutiny__how_we_compare_areas')) }}
