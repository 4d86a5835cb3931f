"""The packs, declared once (contracts/packs.md): everything else follows from this list.

One `PackDeclaration` per pack drives the pack registry (`onecouncil.packs.PACKS`), the
pack DAGs (dags/packs.py makes one DAG per cadence from these, the way ingest_landing is
made from the feed registry) and the CLI (`onecouncil run --period/--quarter/--year`).
Adding a pack is one module in onecouncil/packs (its `build`, and optional `extras` and
`context`), one template in reports/templates, and one declaration here.

This module imports nothing heavy: the DAG processor reads it at parse time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear


@dataclass(frozen=True)
class Cadence:
    """How often a kind of pack is rendered, and the DAG and CLI option that render it."""

    name: str  # monthly, quarterly, annual
    dag_id: str
    param: str  # the DAG param and the `onecouncil run` option: period, quarter, year
    kind: type  # FiscalPeriod, FiscalQuarter or FiscalYear
    example: str
    first_run: date  # the DAG's start_date: the first day a pack of this cadence is due
    # Airflow's priority_weight of its tasks: when new marts land, the monthly finance pack
    # (due by 09:00 on its working day) is rendered before the quarterly and annual ones
    priority: int = 1


MONTHLY = Cadence("monthly", "monthly_packs", "period", FiscalPeriod, "2025-26-P06",
                  date(2025, 5, 1), priority=10)
QUARTERLY = Cadence("quarterly", "quarterly_packs", "quarter", FiscalQuarter, "2025-26-Q2",
                    date(2025, 7, 1))
ANNUAL = Cadence("annual", "annual_packs", "year", FiscalYear, "2025-26", date(2026, 4, 1))
CADENCES = (MONTHLY, QUARTERLY, ANNUAL)


@dataclass(frozen=True)
class PackDeclaration:
    name: str
    title: str
    public: bool
    cadence: Cadence
    template: str
    module: str  # dotted name of the module with build(conn, period) -> (figures, lineage)
    # Due rule: the pack is due this many working days (England) after its period closes
    # (period 13 closes on 30 April; the year-end summary follows period 13).
    due_working_days: int
    approver: str  # the role that signs it off by default (contracts/packs.md "Sign-off")
    audience: str
    # The headline figures: (what the council calls it, its dotted path in the pack JSON's
    # figures). The approval form shows them; a new published version lists those that moved.
    headlines: tuple[tuple[str, str], ...] = ()

    @property
    def classification(self) -> str:
        return "Public" if self.public else "Restricted"


DECLARATIONS: tuple[PackDeclaration, ...] = (
    PackDeclaration(
        name="finance-outturn", title="Finance outturn", public=False, cadence=MONTHLY,
        template="finance-outturn.html", module="onecouncil.packs.finance_outturn",
        due_working_days=10, approver="Director of Finance (section 151 officer)",
        audience="Corporate Leadership Team",
        headlines=(("Forecast outturn (£)", "council.forecast_outturn"),
                   ("Forecast variance (£)", "council.variance"),
                   ("Forecast variance (%)", "council.variance_pct"),
                   ("Council RAG", "council.rag"),
                   ("Forecast submissions on time (%)", "compliance_total.compliance_pct"))),
    PackDeclaration(
        name="transparency-spend", title="Council spending over £500", public=True,
        cadence=MONTHLY, template="transparency-spend.html",
        module="onecouncil.packs.transparency_spend", due_working_days=10,
        approver="Director of Finance", audience="The public",
        headlines=(("Payments published", "payments_published"),
                   ("Total spent (£)", "total_amount"))),
    PackDeclaration(
        name="cabinet-quarterly", title="Cabinet quarterly performance report", public=True,
        cadence=QUARTERLY, template="cabinet-quarterly.html",
        module="onecouncil.packs.cabinet_quarterly", due_working_days=15,
        approver="Head of Performance", audience="Cabinet",
        headlines=(("Indicators reported", "indicators_reported"),
                   ("Indicators Red", "indicators_by_directorate_total.counts.Red"),
                   ("Indicators Green", "indicators_by_directorate_total.counts.Green"),
                   ("Council Plan actions complete", "plan_actions_total.counts.complete"),
                   ("Forecast variance (£)", "finance.council.variance"),
                   ("Open corporate risks", "risk.open_risks"))),
    PackDeclaration(
        name="scrutiny-quarterly", title="Scrutiny committee quarterly report", public=True,
        cadence=QUARTERLY, template="scrutiny-quarterly.html",
        module="onecouncil.packs.scrutiny_quarterly", due_working_days=15,
        approver="Head of Performance", audience="Scrutiny committee",
        headlines=(("Projects Red", "projects.by_rag.Red"),
                   ("Customer contacts, year to date", "contact.year_to_date_total"),
                   ("Consultations long enough", "consultations.compliant"),
                   ("Training completed on time", "training.total.completion_rate"))),
    PackDeclaration(
        name="audit-committee", title="Audit committee: risk and internal audit", public=False,
        cadence=QUARTERLY, template="audit-committee.html",
        module="onecouncil.packs.audit_committee", due_working_days=15,
        approver="Head of Internal Audit", audience="Audit committee",
        headlines=(("Open risks", "risk_summary.open"), ("Closed risks", "risk_summary.closed"))),
    PackDeclaration(
        name="year-end", title="Year-end summary of achievements", public=True, cadence=ANNUAL,
        template="year-end.html", module="onecouncil.packs.year_end", due_working_days=15,
        approver="Head of Performance", audience="Chief Executive, councillors and the public",
        headlines=(("Council Plan actions complete", "actions.total.complete"),
                   ("Indicators Red at year end", "indicators.by_rag.Red"),
                   ("Indicators Green at year end", "indicators.by_rag.Green"),
                   ("Outturn variance (£)", "finance.council.variance"))),
)

BY_NAME = {d.name: d for d in DECLARATIONS}


def of_cadence(cadence: Cadence) -> list[PackDeclaration]:
    return [d for d in DECLARATIONS if d.cadence == cadence]
