"""A pack's stamp: Draft, Awaiting sign-off or Final (contracts/packs.md "Sign-off").

A pack rendered from data whose blocking checks failed (or never ran) is a draft and can
never be signed off. A pack whose checks passed is rendered `Awaiting sign-off`; when its
approver signs it off, `restamp` rewrites only the stamp: the marked parts of the HTML
(reports/templates/stamp.html), the PDF made again from that HTML, and the JSON's `status`
and `signoff`. Everything else stays byte for byte what the approver saw.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

DRAFT, AWAITING, FINAL = "draft", "awaiting sign-off", "final"
REGIONS = ("status", "banner")
TITLE_PREFIX = {DRAFT: "DRAFT - ", AWAITING: "Awaiting sign-off - ", FINAL: ""}


class CannotSignOff(Exception):
    """The pack on disk cannot be signed off (a draft, already final, or another version)."""


def for_render(is_final_data: bool, approver: str) -> dict[str, Any]:
    """The stamp a freshly rendered pack carries."""
    return {"status": AWAITING if is_final_data else DRAFT, "approver": approver,
            "signed_off_by": None, "signed_off_at": None, "signed_off_at_text": None}


def signed(approver: str, by: str, at: dt.datetime) -> dict[str, Any]:
    from onecouncil.packs.formatting import london

    at = at.astimezone(dt.UTC).replace(microsecond=0)
    day, time = london(at).split(" ")
    return {"status": FINAL, "approver": approver, "signed_off_by": by,
            "signed_off_at": at.isoformat(), "signed_off_at_text": f"{day} at {time} (UK time)"}


def in_json(stamp: dict[str, Any]) -> dict[str, Any]:
    """The pack JSON's `signoff`: who signs it off, and once signed, who did and when."""
    return {"approver": stamp["approver"], "signed_off_by": stamp["signed_off_by"],
            "signed_off_at": stamp["signed_off_at"]}


def _macros():
    from onecouncil.packs.render import environment

    return environment().get_template("stamp.html").module


def restamp_html(html: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    macros = _macros()
    for region in REGIONS:
        pattern = re.compile(rf"(<!--stamp:{region}-->).*?(<!--/stamp:{region}-->)", re.S)
        if len(pattern.findall(html)) != 1:
            raise CannotSignOff(f"the pack's HTML has no single '{region}' stamp to rewrite")
        body = "\n" + str(getattr(macros, region)(new))
        html = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), html)
    # a retried sign-off finds the title already rewritten: nothing left to do there
    before = f"<title>{TITLE_PREFIX[old['status']]}"
    return html.replace(before, f"<title>{TITLE_PREFIX[new['status']]}", 1)


def read_document(folder: Path, pack: str) -> dict[str, Any]:
    path = folder / f"{pack}.json"
    if not path.exists():
        raise CannotSignOff(f"{path} does not exist: render the pack first")
    return json.loads(path.read_text(encoding="utf-8"))


def restamp(folder: Path, pack: str, *, by: str, at: dt.datetime,
            data_version: str | None = None) -> list[Path]:
    """Stamp the pack in `folder` Final, signed off by `by` at `at`; the files rewritten.

    Refuses a draft, a pack already final, and a pack whose data version is not the one
    that was put up for sign-off (it was rendered again in between).
    """
    from onecouncil.packs.output import atomic_write, canonical_json
    from onecouncil.packs.render import render_pdf

    document = read_document(folder, pack)
    status = document.get("status")
    if status == DRAFT:
        raise CannotSignOff(f"{pack} {document['fiscal_year']} {document['period']} is "
                            "DRAFT - data checks failed: it cannot be signed off as final")
    if status != AWAITING:
        raise CannotSignOff(f"{pack} {document['fiscal_year']} {document['period']} is "
                            f"{status}, not awaiting sign-off")
    if data_version and document["data_version"] != data_version:
        raise CannotSignOff(
            f"{pack} {document['fiscal_year']} {document['period']} was rendered again from "
            f"other data (version {document['data_version'][:12]}, not {data_version[:12]}) "
            "since it was put up for sign-off: sign off the new version instead")
    old = {**document["signoff"], "status": AWAITING}
    new = signed(document["signoff"]["approver"], by, at)
    html_path = folder / f"{pack}.html"
    html = restamp_html(html_path.read_text(encoding="utf-8"), old, new)
    written = [atomic_write(html_path, html.encode("utf-8"))]
    if (folder / f"{pack}.pdf").exists():
        written.append(atomic_write(folder / f"{pack}.pdf", render_pdf(html, folder)))
    document.update(status=FINAL, signoff=in_json(new))
    written.append(atomic_write(folder / f"{pack}.json", canonical_json(document)))
    return written
