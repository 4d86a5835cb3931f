"""The published site after every pack is rendered, signed off and offered for publication:
no restricted file and no restricted name in it, and axe-core finds no violation on its
index and pages (which hold no script: the site works without JavaScript)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from audit_fixtures import RESTRICTED_ID, RESTRICTED_TITLE, fill_audit_only
from conftest import FY
from test_accessibility import _axe, browser  # noqa: F401  (browser found by name)
from test_public_packs_never_name_restricted import (
    BASE_FIXTURES,
    LABELS,
    assert_never_named,
    render_public_packs,
)

from onecouncil.calendar import parse_label
from onecouncil.packs import PACKS, render_pack
from onecouncil.publish import NotPublishable, publish
from onecouncil.signoff import decide

RESTRICTED = {"finance-outturn": "P05", "audit-committee": "Q2"}


@pytest.fixture
def site(request, final_verdict, tmp_path):
    """Every pack rendered, approved and offered to publish; the site's root."""
    conn = request.getfixturevalue("conn")
    for name in BASE_FIXTURES:
        try:
            request.getfixturevalue(name)
            break
        except pytest.FixtureLookupError:
            continue
    fill_audit_only(conn)
    output, root = tmp_path / "packs", tmp_path / "published"
    render_public_packs(conn, final_verdict, output)
    for pack, label in RESTRICTED.items():
        render_pack(conn, pack, FY, label, output, final_verdict)
    assert set(RESTRICTED) | {n for n, s in PACKS.items() if s.public} == set(PACKS)
    at = dt.datetime(2025, 10, 20, 9, tzinfo=dt.UTC)
    for pack, spec in PACKS.items():
        period = parse_label(FY, RESTRICTED.get(pack) or LABELS[spec.cadence])
        folder = output / FY / period.label
        doc = json.loads((folder / f"{pack}.json").read_text())
        decide.approve(conn, pack=pack, period=str(period), folder=folder,
                       data_version=doc["data_version"], by="Jo Approver", at=at,
                       dag_id="site-test", run_id="run-site")
        if spec.public:
            publish(pack, folder, root=root, now=at)
        else:
            with pytest.raises(NotPublishable, match="restricted"):
                publish(pack, folder, root=root, now=at)
    return root


def test_the_site_holds_no_restricted_file_or_name(site):
    files = [p for p in site.rglob("*") if p.is_file() and p.name != ".lock"]
    index = json.loads((site / "index.json").read_text())
    published = {p["pack"] for p in index["publications"]}
    assert published == {n for n, s in PACKS.items() if s.public}
    for pack in RESTRICTED:
        assert not any(pack in p.relative_to(site).as_posix() for p in files)
    needles = [RESTRICTED_TITLE, RESTRICTED_ID]
    for pack in RESTRICTED:
        needles += [pack, PACKS[pack].title]
    unread = assert_never_named(files, needles)
    assert all(p.suffix == ".pdf" for p in unread)
    every = {p.relative_to(site).as_posix() for p in files}
    listed = {f["path"] for p in index["publications"] for f in p["files"]}
    assert listed <= every and every - listed == {
        "index.html", "index.json", *(f"packs/{p}.html" for p in published)}


def test_the_site_pages_have_no_axe_violations_and_no_script(browser, site):  # noqa: F811
    pages = [site / "index.html", *sorted((site / "packs").glob("*.html"))]
    assert len(pages) == 1 + len([s for s in PACKS.values() if s.public])
    for path in pages:
        text = path.read_text()
        assert "<script" not in text.lower()
        page, results = _axe(browser, path)
        try:
            assert results.violations_count == 0, (
                path.name, [(v["id"], [n["html"][:150] for n in v["nodes"][:3]])
                            for v in results.response["violations"]])
            # every link on the page leads to a file of the site
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                if href.startswith("file://"):
                    target = Path(unquote(urlparse(href).path))
                    assert target.exists() and site in target.parents, href
        finally:
            page.close()
