"""The seeded simulator: realistic, messy landing files for every feed.

    simulate(Path("landing"), FiscalPeriod.parse("2025-26-P06"))

writes `<output>/<feed folder>/<file>.csv|.xlsx` for every feed in the registry,
for fiscal year 2025-26 periods 1 to `through`, and a manifest at
`<output>/_simulation/manifest.json` saying what each file should do when
ingested (see manifest.py). One module per source system:

| module | source system | feeds |
|---|---|---|
| org.py | (the organisation, shared) | |
| erp.py | finance ERP | reference/*, finance/ledger, budget, forecast, payments, capital |
| performance.py | performance system | performance/indicators, indicator_values, plan_actions |
| risk.py | risk system | risk/register (XLSX) |
| audit.py | internal audit system | audit/engagements, audit/recommendations |
| crm.py | CRM | customer/contacts (daily) |
| consultations.py | engagement platform | engagement/consultations |
| learning.py | learning system | workforce/training |
| benchmarks.py | published figures (LG Inform, DWP, DEFRA, OHID) | benchmark/* |

Some 2024-25 context comes too, because the packs compare with it: the first
indicator returns carry the whole 2024-25 history, the quarterly snapshot feeds
(capital, plan actions, training) start from a 2024-25 Q4 snapshot (so even a
run through P01 has a file in every feed), and the consultations export lists
consultations started since November 2024.

The same (through, scale, seed) always gives byte-identical files, and each
feed draws from its own seed stream, so changing one feed does not reshuffle
another. `scale` multiplies row volumes (ledger lines, payments, contacts,
colleagues), not the organisation; ledger money does not scale (it carries the
finance story), payments money does (it is the sum of the payments).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from onecouncil.calendar import FiscalPeriod
from onecouncil.feeds.registry import FEEDS
from onecouncil.simulate import (audit, benchmarks, consultations, crm, erp, learning, org,
                                 performance, risk)
from onecouncil.simulate import manifest as manifest_mod
from onecouncil.simulate._common import YEAR, Landing

__all__ = ["simulate", "SIMULATED_YEAR"]

SIMULATED_YEAR = str(YEAR)


def simulate(
    output: Path,
    through: FiscalPeriod | str,
    scale: float = 1.0,
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Write landing files for 2025-26 periods 1..`through` under `output`.

    Returns the manifest (also written to `<output>/_simulation/manifest.json`).
    Files an earlier simulation wrote into `output` (as its manifest lists them)
    are removed first; nothing else there is touched. `progress`, when given, is
    called with a short status line after each step.
    """
    if isinstance(through, str):
        through = FiscalPeriod.parse(through)
    if through.year != YEAR:
        raise ValueError(f"the simulator writes fiscal year {YEAR}; got {through}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    manifest_mod.remove_previous(output)
    landing = Landing(output, progress)

    organisation = org.build(seed)
    erp.write_reference(landing, organisation)
    budget = erp.build_budget(organisation, seed)
    erp.write_budget(landing, organisation, budget)
    plan = erp.build_plan(organisation, budget, seed)
    landing.say(f"organisation: {len(organisation.cost_centres)} cost centres, "
                f"{len(organisation.accounts)} accounts, {len(budget.cc):,} budget lines")
    erp.write_ledger(landing, organisation, plan, through, scale, seed)
    erp.write_forecasts(landing, organisation, plan, through, seed)
    erp.write_payments(landing, organisation, through, scale, seed)
    erp.write_capital(landing, organisation, through, seed)
    indicators = performance.build_indicators(organisation, seed)
    performance.write_indicators(landing, indicators)
    performance.write_indicator_values(landing, organisation, indicators, through, seed)
    performance.write_plan_actions(landing, through, seed)
    risk.write_register(landing, organisation, through, seed)
    audit.write_audit(landing, organisation, through, seed)
    crm.write_contacts(landing, organisation, through, scale, seed)
    consultations.write_consultations(landing, organisation, through, seed)
    learning.write_training(landing, organisation, through, scale, seed)
    benchmarks.write_benchmarks(landing, indicators, through, seed)

    missing = sorted({f.folder for f in FEEDS} - {f.feed for f in landing.files})
    if missing:  # a programming error: every feed must get a file
        raise RuntimeError(f"no file written for: {', '.join(missing)}")
    facts = {
        "unmapped_cost_centre": erp.UNKNOWN_COST_CENTRE,
        "unmapped_account": erp.UNKNOWN_ACCOUNT,
        "redacted_supplier_name": "Redacted personal data",
        "never_submitting_cost_centres": sorted(
            organisation.cost_centres[i].code for i in plan.never_submits),
        "overspending_services": [s.name for s in organisation.services if s.story > 0.02],
        "underspending_services": [s.name for s in organisation.services if s.story < 0],
        "refused_files": [f.path for f in landing.files if f.expected_outcome == "refused"],
        "duplicate_files": [f.path for f in landing.files if f.expected_outcome == "duplicate"],
        "restated_files": [f.path for f in landing.files if "restates" in f.extra],
    }
    result = manifest_mod.build(landing, through, scale, seed, facts)
    path = manifest_mod.write(output, result, landing)
    total = sum(f.rows_read for f in landing.files)
    landing.say(f"wrote {len(landing.files)} files, {total:,} rows, manifest {path} "
                f"in {time.perf_counter() - started:.1f} s")
    return result
