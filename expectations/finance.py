"""Finance data-quality suites (Great Expectations Core 1.x), as code.

Each suite checks one relation, either the table itself or a query over it.
Each expectation carries:
  - `meta.severity`: `blocking` (the pack is a DRAFT while it fails) or
    `warning` (listed in the pack's data-quality section, the pack stays final);
  - a `description` a finance officer can read: it is the check's name in
    ops.check_results and the pack, prefixed by the suite's name, so keep it
    unique within its suite and do not reword it lightly (history is by name).

GX is imported inside `suites()` only: this file is loaded by
onecouncil.quality.gx_checks at check time, never by a DAG file at parse time.
See expectations/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Current ledger lines with their account group (from the current chart of
# accounts; an account missing from it has a null group and is reported as
# unmapped elsewhere).
LEDGER_QUERY = """
select l.fiscal_year, l.period, l.cost_centre, l.account_code, l.transaction_id,
       l.amount, a.account_group
from staging.stg_finance__ledger l
left join (
    select distinct on (account_code) account_code, account_group
    from staging.stg_reference__accounts
    where replaced_at is null
    order by account_code, loaded_at desc
) a on a.account_code = l.account_code
"""

# One row per (fiscal_year, period, directorate) for every period from 1 to the
# latest period loaded for that year, and every directorate that had at least
# one cost centre open during the year, with its count of current ledger lines.
ACTIVITY_QUERY = """
with loaded as materialized (
    select fiscal_year, least(max(period), 12) as last_period
    from staging.stg_finance__ledger group by fiscal_year
), periods as materialized (
    select fiscal_year, generate_series(1, last_period) as period,
           make_date(left(fiscal_year, 4)::int, 4, 1) as year_start
    from loaded
), active as materialized (
    select distinct p.fiscal_year, p.period, s.directorate_code
    from periods p
    join staging.stg_reference__cost_centres c
      on c.replaced_at is null
     and (c.active_to is null or c.active_to >= p.year_start)
     and (c.active_from is null or c.active_from < p.year_start + interval '1 year')
    join staging.stg_reference__services s
      on s.replaced_at is null and s.service_code = c.service_code
    join staging.stg_reference__directorates d
      on d.replaced_at is null and d.directorate_code = s.directorate_code
), lines as materialized (
    select l.fiscal_year, l.period, s.directorate_code, count(*) as ledger_lines
    from staging.stg_finance__ledger l
    join staging.stg_reference__cost_centres c
      on c.replaced_at is null and c.cost_centre = l.cost_centre
    join staging.stg_reference__services s
      on s.replaced_at is null and s.service_code = c.service_code
    group by 1, 2, 3
)
select a.fiscal_year, a.period, a.directorate_code, coalesce(n.ledger_lines, 0) as ledger_lines
from active a
left join lines n using (fiscal_year, period, directorate_code)
"""

PERSON_TITLES = r"^\s*(mr|mrs|ms|miss|mx|dr|prof|sir|dame|rev)\.?\s+[a-z]"
COMPANY_WORDS = (r"\m(ltd|limited|llp|plc|inc|cic|trust|council|services|group|associates"
                 r"|partnership|company|co|charity|society|foundation|practice|surgery|school)\M")


@dataclass(frozen=True)
class Suite:
    """One expectation suite and what it validates."""

    name: str
    relation: str  # the relation the checks are about (ops.check_results.relation)
    query: str | None = None  # a query asset; None validates `relation` as a table
    requires: tuple[str, ...] = ()  # relations that must exist, besides `relation`
    expectations: list[Any] = field(default_factory=list)

    @property
    def needed(self) -> tuple[str, ...]:
        return (self.relation, *self.requires)


def _expect(cls, severity: str, description: str, **kwargs):
    if severity not in ("blocking", "warning"):
        raise ValueError(f"severity must be blocking or warning, not {severity!r}")
    # GX's own severity is set too so Data Docs shows the same weight.
    return cls(description=description, meta={"severity": severity},
               severity="critical" if severity == "blocking" else "warning", **kwargs)


def suites() -> list[Suite]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    raw_ledger = Suite(
        "raw_ledger", "staging.stg_finance__ledger", query=LEDGER_QUERY,
        requires=("staging.stg_reference__accounts",),
        expectations=[
            _expect(gxe.ExpectColumnValuesToBeBetween, "blocking",
                    "Every ledger line has a period from 1 to 13",
                    column="period", min_value=1, max_value=13),
            _expect(gxe.ExpectColumnValuesToNotBeNull, "blocking",
                    "Every ledger line has a cost centre", column="cost_centre"),
            _expect(gxe.ExpectColumnValuesToNotBeNull, "blocking",
                    "Every ledger line has an account code", column="account_code"),
            _expect(gxe.ExpectColumnValuesToBeBetween, "warning",
                    "Employees lines are between -£500,000 and £500,000",
                    column="amount", min_value=-500_000, max_value=500_000,
                    row_condition=Column("account_group") == "Employees"),
            _expect(gxe.ExpectColumnValuesToBeBetween, "warning",
                    "No single ledger line is over £5 million either way",
                    column="amount", min_value=-5_000_000, max_value=5_000_000),
        ])

    activity = Suite(
        "ledger_activity", "staging.stg_finance__ledger", query=ACTIVITY_QUERY,
        requires=("staging.stg_reference__cost_centres", "staging.stg_reference__services",
                  "staging.stg_reference__directorates"),
        expectations=[
            _expect(gxe.ExpectColumnValuesToBeBetween, "warning",
                    "Every active directorate has ledger lines in every period loaded",
                    column="ledger_lines", min_value=1),
        ])

    outturn = Suite(
        "finance_outturn", "marts.finance_outturn",
        expectations=[
            _expect(gxe.ExpectColumnValuesToNotBeNull, "blocking",
                    "Every line has a RAG rating", column="rag"),
            _expect(gxe.ExpectColumnValuesToBeInSet, "blocking",
                    "RAG is Green, Amber or Red", column="rag",
                    value_set=["Green", "Amber", "Red"]),
            _expect(gxe.ExpectColumnValuesToBeInSet, "blocking",
                    "Forecast basis is submitted, carried forward, defaulted to budget or "
                    "defaulted to actuals",
                    column="forecast_basis",
                    value_set=["submitted", "carried forward", "defaulted to budget",
                               "defaulted to actuals"]),
            _expect(gxe.UnexpectedRowsExpectation, "warning",
                    "A forecast more than 50% away from budget has commentary",
                    unexpected_rows_query=(
                        "select * from {batch} where current_budget <> 0"
                        " and abs(forecast_outturn - current_budget) > 0.5 * abs(current_budget)"
                        " and coalesce(trim(commentary), '') = ''"
                        " and not coalesce(is_unmapped, false)")),
        ])

    # The threshold dbt published by, read from reports.pack_thresholds (rendered from the
    # dbt var in the same build), so the check, the publication and the pack agree.
    threshold = ("(select value::numeric from reports.pack_thresholds"
                 " where name = 'transparency_threshold')")
    transparency = Suite(
        "transparency_spend", "marts.transparency_spend", requires=("reports.pack_thresholds",),
        expectations=[
            _expect(gxe.ExpectColumnValuesToNotBeNull, "blocking",
                    "Every published payment has a supplier name", column="supplier_name"),
            _expect(gxe.UnexpectedRowsExpectation, "blocking",
                    "Every published payment is at least the publication threshold "
                    "(transparency_threshold) either way",
                    unexpected_rows_query=(
                        f"select * from {{batch}} where abs(amount) < {threshold}")),
            _expect(gxe.UnexpectedRowsExpectation, "blocking",
                    "No supplier name looks like a person's name",
                    unexpected_rows_query=(
                        "select * from {batch} where ("
                        f" supplier_name ~* '{PERSON_TITLES}'"
                        f" and supplier_name !~* '{COMPANY_WORDS}')"
                        " or (lower(supplier_name) = 'redacted personal data'"
                        " and supplier_name <> 'Redacted personal data')")),
        ])

    return [raw_ledger, activity, outturn, transparency]
