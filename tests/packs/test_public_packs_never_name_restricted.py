"""No public pack ever names a restricted audit (rules.md "Publication and disclosure control").

Every registered pack whose `public` is True is rendered, in every format it writes,
from marts that hold a restricted engagement and a recommendation of it; the audit's
title and ID must appear in none of the files. New public packs are covered as soon as
they are registered: name the fixture that builds their marts in BASE_FIXTURES.

The helpers are reusable: `render_public_packs(conn, verdict, folder)` and
`assert_never_named(paths, needles)`.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import psycopg
import pytest
from audit_fixtures import RESTRICTED_ID, RESTRICTED_TITLE, audit_marts_fixture, fill_audit_only
from conftest import FY

from onecouncil.packs import PACKS, render_pack

try:  # the Cabinet pack's marts, once that pack's fixtures exist
    from cabinet_fixtures import cabinet_marts, cabinet_risk  # noqa: F401
except ImportError:
    pass

assert audit_marts_fixture  # used by test_the_helper_would_catch_a_leak, as `audit_marts`

# Fixtures that fill every other mart the public packs read; the first of these this
# module can see is used (each fills the finance and payments marts, so only one may run).
# The audit marts, with their restricted engagement, are added after it.
BASE_FIXTURES = ("cabinet_risk", "marts")
# The period each cadence is rendered for: the one the fixtures hold data for.
LABELS = {"monthly": "P05", "quarterly": "Q2", "annual": "year"}


def render_public_packs(conn: psycopg.Connection, verdict, folder: Path) -> dict[str, list[Path]]:
    """Render every public pack, with its PDF, into `folder`; {pack: paths written}."""
    written = {}
    for name, spec in sorted(PACKS.items()):
        if not spec.public:
            continue
        try:
            written[name] = render_pack(conn, name, FY, LABELS[spec.cadence], folder, verdict)
        except (psycopg.errors.UndefinedTable, LookupError) as exc:
            pytest.fail(f"public pack {name} could not be rendered from the test marts ({exc}); "
                        f"add the fixture that builds its marts to BASE_FIXTURES in {__name__}")
    return written


def file_text(path: Path) -> str | None:
    """What a reader of the file could see; None for a PDF when pdftotext is missing."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        if not shutil.which("pdftotext"):
            return None
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8", "replace")


def assert_never_named(paths: list[Path], needles: list[str]) -> list[Path]:
    """Fail if any file names a needle (any case, raw or HTML-escaped); returns the
    files it could not read (PDFs without pdftotext)."""
    import html

    unread = []
    for path in paths:
        text = file_text(path)
        if text is None:
            unread.append(path)
            continue
        low = text.lower()
        for needle in needles:
            for form in {needle.lower(), html.escape(needle).lower()}:
                assert form not in low, f"{path.name} names restricted {needle!r}"
    return unread


def test_public_packs_never_name_a_restricted_engagement(request, final_verdict, tmp_path):
    conn = request.getfixturevalue("conn")
    for name in BASE_FIXTURES:
        try:
            request.getfixturevalue(name)
            break
        except pytest.FixtureLookupError:
            continue
    fill_audit_only(conn)
    # The test means something only if the restricted audit really is in the marts.
    assert conn.execute("select count(*) from marts.audit_engagements "
                        "where audit_id = %s and is_restricted", (RESTRICTED_ID,)
                        ).fetchone()[0] > 0
    assert conn.execute("select count(*) from marts.audit_recommendations "
                        "where audit_title = %s", (RESTRICTED_TITLE,)).fetchone()[0] > 0
    written = render_public_packs(conn, final_verdict, tmp_path)
    assert "transparency-spend" in written  # at least one public pack, so never vacuous
    paths = [p for ps in written.values() for p in ps]
    assert {p.suffix for p in paths} >= {".html", ".json", ".pdf", ".csv"}
    unread = assert_never_named(paths, [RESTRICTED_TITLE, RESTRICTED_ID])
    if unread:
        pytest.skip(f"pdftotext not installed: could not read {', '.join(p.name for p in unread)}")


def test_the_helper_would_catch_a_leak(audit_marts, final_verdict, tmp_path):
    """The restricted pack does name it, and the same check fails on that pack's files."""
    paths = render_pack(audit_marts, "audit-committee", FY, "Q2", tmp_path, final_verdict,
                        pdf=False)
    with pytest.raises(AssertionError, match="names restricted"):
        assert_never_named(paths, [RESTRICTED_TITLE])
