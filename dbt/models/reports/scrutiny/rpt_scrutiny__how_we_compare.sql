-- "How we compare" in the scrutiny pack: per quarter, each benchmark indicator the council
-- declares, at its latest period ended by the quarter's last day (macros/benchmarks.sql).

{{ how_we_compare() }}
