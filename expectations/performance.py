"""Indicator-return data-quality suites (Great Expectations Core 1.x), as code.

The same conventions as expectations/finance.py (whose Suite and severity helper
are reused): every expectation has a description a performance officer can read,
which is the check's name in ops.check_results and the pack, and
`meta.severity` `blocking` or `warning`. See expectations/README.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# Current indicator values with their indicator's current unit, and how far each
# sits from the indicator's own earlier values (z-score over at least six of
# them; empty with fewer, or when they never vary). An indicator may have one
# definition row per fiscal year: its unit is the same on each, so any one does.
RETURNS_QUERY = """
with units as materialized (
    select distinct on (indicator_id) indicator_id, unit, aggregation
    from staging.stg_performance__indicators
    order by indicator_id, fiscal_year desc nulls first
), returns as materialized (
    select v.indicator_id, v.period_end, v.value, v.numerator, v.denominator,
           v.submitted_by, v.submitted_at, u.unit, u.aggregation,
           count(*) over history as earlier_values,
           avg(v.value) over history as history_mean,
           stddev_samp(v.value) over history as history_sd
    from staging.stg_performance__indicator_values v
    left join units u on u.indicator_id = v.indicator_id
    window history as (partition by v.indicator_id order by v.period_end
                       rows between unbounded preceding and 1 preceding)
)
select *,
       case when earlier_values >= 6 and history_sd > 0
            then round((value - history_mean) / history_sd, 2) end as z_score
from returns
"""


def _finance():
    """expectations/finance.py, as gx_checks loaded it (or loaded here the same way)."""
    name = "onecouncil_expectations.finance"
    if name not in sys.modules:
        path = Path(__file__).with_name("finance.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def suites() -> list:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    finance = _finance()
    suite, expect = finance.Suite, finance._expect

    returns = suite(
        "indicator_returns", "staging.stg_performance__indicator_values", query=RETURNS_QUERY,
        requires=("staging.stg_performance__indicators",),
        expectations=[
            expect(gxe.ExpectColumnValuesToBeBetween, "blocking",
                   "A percentage value is between 0 and 100",
                   column="value", min_value=0, max_value=100,
                   row_condition=Column("unit") == "%"),
            expect(gxe.ExpectColumnPairValuesAToBeGreaterThanB, "blocking",
                   "A numerator is not above its denominator",
                   column_A="denominator", column_B="numerator", or_equal=True,
                   ignore_row_if="either_value_is_missing"),
            expect(gxe.ExpectColumnValuesToBeBetween, "warning",
                   "A value more than three standard deviations from its indicator's "
                   "history is for the owner to confirm",
                   column="z_score", min_value=-3, max_value=3),
        ])

    return [returns]
