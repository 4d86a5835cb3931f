"""Risk register and internal audit data-quality suites (Great Expectations Core 1.x).

The council's checks on what the risk and audit systems delivered (rules.md "Risk",
"Internal audit"), each `blocking` or `warning` and reported in the pack by its
description. They read the staging models (the current rows of each feed, as dbt
renames and casts them), at the latest snapshot of each feed:
a snapshot restates the whole register or plan, so an older snapshot's faults
were either fixed in the latest or are still in it, and a failure is not repeated
for every month it was ever true. Staging is built first in every dbt build, so
these suites run even when a mart fails to build.

The marts' structural tests (keys, accepted values, relationships) are dbt data
tests beside the models in dbt/models/marts/{risk,audit}/.
See expectations/README.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# Current rows of the latest snapshot, with the scores of rules.md "Risk".
REGISTER_QUERY = """
select r.snapshot_date, r.risk_id, r.register, r.owner, r.status,
       r.inherent_likelihood, r.inherent_impact, r.current_likelihood, r.current_impact,
       r.target_likelihood, r.target_impact,
       r.inherent_likelihood * r.inherent_impact as inherent_score,
       r.target_likelihood * r.target_impact as target_score
from staging.stg_risk__register r
where r.snapshot_date = (select max(snapshot_date) from staging.stg_risk__register)
"""

ENGAGEMENTS_QUERY = """
select e.snapshot_date, e.audit_id, e.audit_type, e.status, e.assurance_opinion, e.restricted
from staging.stg_audit__engagements e
where e.snapshot_date = (select max(snapshot_date) from staging.stg_audit__engagements)
"""

RECOMMENDATIONS_QUERY = """
select r.snapshot_date, r.recommendation_id, r.audit_id, r.status, r.implemented_date
from staging.stg_audit__recommendations r
where r.snapshot_date = (select max(snapshot_date) from staging.stg_audit__recommendations)
"""

_LIKELIHOOD_AND_IMPACT = ("inherent_likelihood", "inherent_impact", "current_likelihood",
                          "current_impact", "target_likelihood", "target_impact")

# Audit types whose final report gives an assurance opinion. Investigations (brief)
# give none; advisory work (consulting, under the Global Internal Audit Standards) and
# grant certifications (a signed certificate) do not either.
OPINION_GIVEN_BY = ("assurance", "follow-up")


def _finance():
    # Suite and _expect are declared once, in finance.py; gx_checks loads it under
    # this name first (files load in name order), a direct import loads it here.
    name = "onecouncil_expectations.finance"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("finance.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def suites() -> list:
    import great_expectations.expectations as gxe

    finance = _finance()
    Suite, _expect = finance.Suite, finance._expect

    out_of_range = " or ".join(f"coalesce({c} not between 1 and 5, true)"
                               for c in _LIKELIHOOD_AND_IMPACT)
    register = Suite(
        "risk_register_quality", "staging.stg_risk__register", query=REGISTER_QUERY,
        expectations=[
            _expect(gxe.UnexpectedRowsExpectation, "blocking",
                    "Every likelihood and impact is from 1 to 5",
                    unexpected_rows_query=f"select * from {{batch}} where {out_of_range}"),
            _expect(gxe.UnexpectedRowsExpectation, "warning",
                    "No risk's target score is above its inherent score",
                    unexpected_rows_query=("select * from {batch}"
                                           " where target_score > inherent_score")),
            _expect(gxe.UnexpectedRowsExpectation, "warning",
                    "Every open risk has an owner",
                    unexpected_rows_query=("select * from {batch} where status = 'open'"
                                           " and coalesce(trim(owner), '') = ''")),
        ])

    types = ", ".join(f"'{t}'" for t in OPINION_GIVEN_BY)
    engagements = Suite(
        "audit_engagements_quality", "staging.stg_audit__engagements", query=ENGAGEMENTS_QUERY,
        expectations=[
            _expect(gxe.UnexpectedRowsExpectation, "blocking",
                    "Every final assurance or follow-up report has an opinion"
                    " (investigations, grants and advisory work give none)",
                    unexpected_rows_query=(
                        "select * from {batch} where status = 'final report'"
                        f" and audit_type in ({types})"
                        " and coalesce(trim(assurance_opinion), '') = ''")),
        ])

    recommendations = Suite(
        "audit_recommendations_quality", "staging.stg_audit__recommendations",
        query=RECOMMENDATIONS_QUERY,
        expectations=[
            _expect(gxe.UnexpectedRowsExpectation, "warning",
                    "Every implemented recommendation has an implemented date",
                    unexpected_rows_query=("select * from {batch} where status = 'implemented'"
                                           " and implemented_date is null")),
        ])

    return [register, engagements, recommendations]
