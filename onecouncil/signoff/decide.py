"""What a sign-off decision does to a pack.

Approve: the pack is stamped Final with the approver's name and the time (stamp.restamp)
and the decision recorded; the DAG's publish task then publishes it if it is public.
Reject: the decision and its reason are recorded, the pack stays as it is, unpublished,
and the data team is told.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from onecouncil.packs import stamp
from onecouncil.packs.declarations import BY_NAME
from onecouncil.packs.headlines import headlines
from onecouncil.signoff import records

log = logging.getLogger(__name__)
NO_REASON = "no reason given"


def request(pack: str, period: Any, folder: Path) -> dict[str, Any]:
    """What the approval task asks, for one rendered pack: the kwargs of one mapped
    approval (onecouncil.signoff.operator.PackApproval)."""
    from onecouncil.signoff.approvers import approver_of

    declaration = BY_NAME[pack]
    document = stamp.read_document(folder, pack)
    checks = document["checks"]
    files = sorted(p for p in folder.glob(f"{pack}.*") if not p.name.startswith("."))
    lines = [f"**{declaration.title}, {period.description}** for {declaration.audience} "
             f"({document['classification'].lower()}), to be signed off by the "
             f"{approver_of(declaration)}.", ""]
    if document["status"] == stamp.DRAFT:
        why = (f"{checks['blocking_failed']} blocking data checks failed"
               if checks["checks_ran"] else "no data checks have run on this data")
        lines += [f"This pack is a DRAFT ({why}): it cannot be approved as final.", ""]
    lines += ["Headline figures:", ""]
    lines += [f"- {h['label']}: {h['value']}" for h in headlines(document)] or ["- none yet"]
    lines += ["", f"Data quality: {checks['passed']} of {checks['total']} checks passed, "
              f"{checks['warnings_failed']} warned, {checks['blocking_failed']} blocking failed; "
              f"{len(document['lineage'].get('source_files', []))} source files; data version "
              f"`{document['data_version'][:12]}`.", "", "Files:", ""]
    lines += [f"- [{p.name}]({p.resolve().as_uri()})" for p in files]
    lines += ["", "Approve to stamp the pack Final with your name and publish it"
              + (" on the council's site." if declaration.public else " (restricted: it is "
                 "never published).") + " Reject with a reason to keep it unpublished."]
    return {"period": str(period), "folder": str(folder), "data_version": document["data_version"],
            "stamp_status": document["status"],
            "subject": f"Sign off: {declaration.title}, {period.description}",
            "body": "\n".join(lines)}


def approve(conn, *, pack: str, period: str, folder: Path, data_version: str, by: str,
            at: dt.datetime, dag_id: str, run_id: str) -> list[Path]:
    """Stamp the pack Final and record the approval; the files rewritten. A retry after a
    crash between the two finds the pack already Final and records the approval once."""
    document = stamp.read_document(folder, pack)
    written: list[Path] = []
    if not (document["status"] == stamp.FINAL and document["data_version"] == data_version):
        written = stamp.restamp(folder, pack, by=by, at=at, data_version=data_version)
    records.record(conn, pack=pack, period=period, data_version=data_version,
                   decision=records.APPROVED, by=by, at=at, reason=None, dag_id=dag_id,
                   run_id=run_id)
    log.info("%s %s approved by %s: stamped Final", pack, period, by)
    return written


def reject(conn, *, pack: str, period: str, data_version: str, by: str, at: dt.datetime,
           reason: str | None, dag_id: str, run_id: str) -> None:
    reason = (reason or "").strip() or NO_REASON
    if records.record(conn, pack=pack, period=period, data_version=data_version,
                      decision=records.REJECTED, by=by, at=at, reason=reason, dag_id=dag_id,
                      run_id=run_id):
        _tell_data_team(pack, period, by, reason, run_id)
    log.info("%s %s rejected by %s: %s", pack, period, by, reason)


def _tell_data_team(pack: str, period: str, by: str, reason: str, run_id: str) -> None:
    try:
        from onecouncil.notify.send import notify
    except ImportError:  # the notifier is not installed in this checkout: the log says it
        log.warning("data team not notified (no notifier): %s %s rejected by %s: %s",
                    pack, period, by, reason)
        return
    notify(f"signoff-rejected:{pack}:{period}:{run_id}", "signoff-rejected",
           f"{BY_NAME[pack].title}, {period}: sign-off rejected by {by}",
           f"{by} rejected the {pack} pack for {period}: {reason}\n\nThe pack stays "
           "unpublished. Fix what the reason says, render the period again "
           "(onecouncil run) and ask for sign-off again.", period=period)
