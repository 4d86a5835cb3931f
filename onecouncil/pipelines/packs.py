"""The pack DAGs' work: which periods a run renders, and rendering a pack for each.

Everything is driven by the pack declarations (onecouncil/packs/declarations.py).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.calendar import FiscalTime
from onecouncil.due_dates import due_on
from onecouncil.packs.declarations import BY_NAME

log = logging.getLogger(__name__)


def for_run(pack: str, param: str | None, run_day: date) -> list[FiscalTime]:
    """The periods a run of `pack` renders: those named in `param` (comma-separated, e.g.
    `2025-26-P05,2025-26-P06`, `2025-26-Q2` or `2025-26`), else those whose pack is due
    on the run's day by the pack's due rule."""
    declaration = BY_NAME[pack]
    if param:
        return [declaration.cadence.kind.parse(p) for p in param.split(",") if p.strip()]
    return due_on(declaration.cadence.kind, run_day, declaration.due_working_days)


def output_folder(param: str | None) -> Path:
    return Path(param).expanduser().resolve() if param else _settings.load().output


def render_periods(pack: str, periods: list[FiscalTime], output: str | None) -> list[str]:
    """Render `pack` for each period with the latest transform verdict; the files written."""
    from onecouncil.packs import render_pack
    from onecouncil.quality.results import latest_verdict
    from onecouncil.warehouse import connect

    written: list[str] = []
    with connect(autocommit=True) as conn:
        verdict = latest_verdict(conn)
        for period in periods:
            paths = render_pack(conn, pack, str(period.year), period.label,
                                output_folder(output), verdict)
            log.info("%s %s: %s", pack, period, ", ".join(p.name for p in paths))
            written += [str(p) for p in paths]
    return written
