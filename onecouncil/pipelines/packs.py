"""The pack DAGs' work: which periods a run renders, and rendering a pack for each.

Everything is driven by the pack declarations (onecouncil/packs/declarations.py).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.calendar import FiscalTime, parse_label
from onecouncil.due_dates import due_on, pack_due
from onecouncil.packs.declarations import BY_NAME

log = logging.getLogger(__name__)


def for_run(pack: str, param: str | None, run_day: date, *, data_published: bool = False,
            output: str | None = None) -> list[FiscalTime]:
    """The periods a run of `pack` renders: those named in `param` (comma-separated, e.g.
    `2025-26-P05,2025-26-P06`, `2025-26-Q2` or `2025-26`); else, when the run follows the
    transform publishing the marts (`data_published`), every period already due whose
    published data its pack on disk does not show yet (late files, a restated period, a
    first load of past periods); else those whose pack is due on the run's day by the
    pack's due rule."""
    declaration = BY_NAME[pack]
    if param:
        return [declaration.cadence.kind.parse(p) for p in param.split(",") if p.strip()]
    if data_published:
        return behind_the_data(pack, run_day, published_state(pack),
                               rendered_state(pack, output_folder(output)))
    return due_on(declaration.cadence.kind, run_day, declaration.due_working_days)


# What a pack of a period shows: its data version and whether its checks passed.
State = tuple[str, bool]


def behind_the_data(pack: str, run_day: date, published: Mapping[FiscalTime, State],
                    rendered: Mapping[FiscalTime, State]) -> list[FiscalTime]:
    """The periods whose pack is due by `run_day` and does not show the data now
    published (no pack yet, another data version, or another check verdict). A period
    not yet due is left for its day; one due before the pack's cadence began (its DAG's
    first day, e.g. an indicator's values of 2015) is history, not a pack to render."""
    declaration = BY_NAME[pack]
    first, n = declaration.cadence.first_run, declaration.due_working_days
    return sorted(p for p, state in published.items()
                  if first <= pack_due(p, n) <= run_day and rendered.get(p) != state)


def published_state(pack: str) -> dict[FiscalTime, State]:
    """Per period with data, the version of the files the pack's report rows rest on
    (reports.pack_sources, as the pack's lineage computes it) and the latest verdict."""
    import psycopg

    from onecouncil.packs.output import data_version
    from onecouncil.quality.results import latest_verdict
    from onecouncil.warehouse import connect

    with connect(role="transformer", read_only=True, autocommit=True) as conn:  # see render
        try:
            rows = conn.execute("select fiscal_year, period, sha256 from reports.pack_sources "
                                "where pack = %s", (pack,)).fetchall()
        except psycopg.errors.UndefinedTable:
            log.warning("reports.pack_sources does not exist: the transform has not built the "
                        "report layer, so no pack can follow the data yet")
            return {}
        final = latest_verdict(conn).is_final
    files: dict[FiscalTime, list[dict]] = {}
    for fiscal_year, period, sha256 in rows:
        files.setdefault(parse_label(fiscal_year, period), []).append({"sha256": sha256})
    return {p: (data_version(f), final) for p, f in files.items()}


def rendered_state(pack: str, output: Path) -> dict[FiscalTime, State]:
    """Per period with a pack on disk under `output`, what its JSON says it shows."""
    import json

    kind = BY_NAME[pack].cadence.kind
    found: dict[FiscalTime, State] = {}
    for path in output.glob(f"*/*/{pack}.json"):
        try:
            period = parse_label(path.parent.parent.name, path.parent.name)
            document = json.loads(path.read_text())
            state = (document["data_version"], bool(document["checks"]["is_final"]))
        except (ValueError, KeyError, TypeError, OSError):
            continue  # not a pack of ours, or half a pack: render it again
        if isinstance(period, kind):
            found[period] = state
    return found


def output_folder(param: str | None) -> Path:
    return Path(param).expanduser().resolve() if param else _settings.load().output


def render_periods(pack: str, periods: list[FiscalTime], output: str | None) -> list[dict]:
    """Render `pack` for each period with the latest transform verdict, stamped `Awaiting
    sign-off` (or DRAFT), the periods side by side (packs.parallel); per period, what its
    approval task asks (signoff.decide.request)."""
    from onecouncil.packs.output import pack_dir
    from onecouncil.packs.parallel import render_each
    from onecouncil.quality.results import latest_verdict
    from onecouncil.signoff.decide import request
    from onecouncil.warehouse import connect

    requests: list[dict] = []
    # The renderer reads reports.* and the checks' verdict in ops: the transformer's, who
    # built them (the reader sees marts only), on a connection that cannot write.
    with connect(role="transformer", read_only=True, autocommit=True) as conn:
        verdict = latest_verdict(conn)
        rendered = render_each(conn, pack, periods, output_folder(output), verdict)
        for period, paths in zip(periods, rendered, strict=True):
            log.info("%s %s: %s", pack, period, ", ".join(p.name for p in paths))
            requests.append(request(pack, period, pack_dir(output_folder(output), period)))
    return requests


def publish_approved(pack: str, dag_id: str, run_id: str, output: str | None) -> list[dict]:
    """Publish every period of `pack` approved in this DAG run; their index.json entries."""
    from onecouncil.calendar import parse
    from onecouncil.packs.output import pack_dir
    from onecouncil.publish import publish
    from onecouncil.signoff.records import APPROVED, decisions
    from onecouncil.warehouse import connect

    with connect(autocommit=True) as conn:
        approved = [d for d in decisions(conn, pack=pack, run_id=run_id)
                    if d["dag_id"] == dag_id and d["decision"] == APPROVED]
    entries = []
    for d in approved:
        entry = publish(pack, pack_dir(output_folder(output), parse(d["period"])))
        log.info("%s %s published as version %s (%s)", pack, d["period"], entry["version"],
                 ", ".join(f["path"] for f in entry["files"]))
        entries.append(entry)
    return entries
