"""The pack DAGs' work: which periods are due, and rendering a pack for each."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear
from onecouncil.due_dates import periods_due_on, quarter_due_on, year_due_on

log = logging.getLogger(__name__)


def periods_for_run(param: str | None, run_day: date) -> list[FiscalPeriod]:
    """The periods a run renders: those named in `param` (comma-separated, e.g.
    `2025-26-P05,2025-26-P06`), else those whose pack is due on the run's day."""
    if param:
        return [FiscalPeriod.parse(p) for p in param.split(",") if p.strip()]
    return periods_due_on(run_day)


def quarters_for_run(param: str | None, run_day: date) -> list[FiscalQuarter]:
    """The quarters a run renders: those named in `param` (comma-separated, e.g.
    `2025-26-Q1,2025-26-Q2`), else the one whose packs are due on the run's day."""
    if param:
        return [FiscalQuarter.parse(q) for q in param.split(",") if q.strip()]
    due = quarter_due_on(run_day)
    return [due] if due else []


def years_for_run(param: str | None, run_day: date) -> list[FiscalYear]:
    """The fiscal years a run summarises: `param` (e.g. `2025-26`), else the one due."""
    if param:
        return [FiscalYear.parse(y) for y in param.split(",") if y.strip()]
    due = year_due_on(run_day)
    return [due] if due else []


def is_available(pack: str) -> bool:
    """Whether this version of the project can render `pack`."""
    from onecouncil.packs import PACKS

    return pack in PACKS


def output_folder(param: str | None) -> Path:
    return Path(param).expanduser().resolve() if param else _settings.load().output


def _render(pack: str, labels: list[tuple[str, str]], output: str | None) -> list[str]:
    """Render `pack` for each (fiscal year, label) with the latest transform verdict."""
    from onecouncil.packs import render_pack
    from onecouncil.quality.results import latest_verdict
    from onecouncil.warehouse import connect

    written: list[str] = []
    with connect(autocommit=True) as conn:
        verdict = latest_verdict(conn)
        for year, label in labels:
            paths = render_pack(conn, pack, year, label, output_folder(output), verdict)
            log.info("%s %s %s: %s", pack, year, label, ", ".join(p.name for p in paths))
            written += [str(p) for p in paths]
    return written


def render_monthly(pack: str, periods: list[str], output: str | None) -> list[str]:
    periods_ = [FiscalPeriod.parse(p) for p in periods]
    return _render(pack, [(str(p.year), f"P{p.period:02d}") for p in periods_], output)


def render_quarterly(pack: str, quarters: list[str], output: str | None) -> list[str]:
    quarters_ = [FiscalQuarter.parse(q) for q in quarters]
    return _render(pack, [(str(q.year), f"Q{q.quarter}") for q in quarters_], output)


def render_annual(pack: str, years: list[str], output: str | None) -> list[str]:
    return _render(pack, [(str(FiscalYear.parse(y)), "year") for y in years], output)
