"""The pack DAGs' work: which periods are due, and rendering a pack for each."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.calendar import FiscalPeriod
from onecouncil.due_dates import periods_due_on

log = logging.getLogger(__name__)


def periods_for_run(param: str | None, run_day: date) -> list[FiscalPeriod]:
    """The periods a run renders: those named in `param` (comma-separated, e.g.
    `2025-26-P05,2025-26-P06`), else those whose pack is due on the run's day."""
    if param:
        return [FiscalPeriod.parse(p) for p in param.split(",") if p.strip()]
    return periods_due_on(run_day)


def output_folder(param: str | None) -> Path:
    return Path(param).expanduser().resolve() if param else _settings.load().output


def render_monthly(pack: str, periods: list[str], output: str | None) -> list[str]:
    """Render `pack` for each period with the latest transform run's check verdict."""
    from onecouncil.packs import render_pack
    from onecouncil.quality.results import latest_verdict
    from onecouncil.warehouse import connect

    written: list[str] = []
    with connect(autocommit=True) as conn:
        verdict = latest_verdict(conn)
        for text in periods:
            period = FiscalPeriod.parse(text)
            paths = render_pack(conn, pack, str(period.year), f"P{period.period:02d}",
                                output_folder(output), verdict)
            log.info("%s %s: %s", pack, period, ", ".join(p.name for p in paths))
            written += [str(p) for p in paths]
    return written
