"""Publication: approved public packs in a static, versioned, accessible site.

A restated period, rendered and approved again, is version 2 beside version 1; version 1
stays, byte for byte, marked superseded with the headline figures that moved. Restricted
packs never reach the site. Every page passes axe-core and needs no JavaScript.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat

import pytest
from conftest import FY, PAYMENTS_SHA

from onecouncil.packs import render_pack
from onecouncil.publish import NotPublishable, publish
from onecouncil.signoff import decide

PACK, LABEL = "transparency-spend", "P05"
RESTATED_SHA = hashlib.sha256(b"payments aug, restated").hexdigest()


def _approve(conn, folder, pack, by, at, run_id):
    doc = json.loads((folder / f"{pack}.json").read_text())
    decide.approve(conn, pack=pack, period=f"{FY}-{LABEL}" if LABEL else FY, folder=folder,
                   data_version=doc["data_version"], by=by, at=at, dag_id="monthly_packs",
                   run_id=run_id)


def _restate_august(conn) -> None:
    """A corrected August payments file: one payment's amount changes."""
    import report_models

    conn.execute("insert into ops.files (sha256, feed, file_name, arrived_at, outcome, "
                 "rows_read, rows_loaded, rows_quarantined, size_bytes, archive_path, run_id) "
                 "values (%s, 'finance/payments', 'payments_2025-08_v2.csv', "
                 "'2025-09-20 09:00+01', 'loaded', 7, 7, 0, 1000, 'archive/y', 'ingest-3')",
                 (RESTATED_SHA,))
    for table in ("marts.payments", "marts.transparency_spend"):
        conn.execute(f"update {table} set sha256 = %s where sha256 = %s",
                     (RESTATED_SHA, PAYMENTS_SHA))
        conn.execute(f"update {table} set amount = 13000.00 where transaction_number = 'T1001'")
    report_models.build(conn)


def test_a_restated_period_is_version_2_and_version_1_stays_superseded(
        marts, final_verdict, tmp_path):
    site, output = tmp_path / "published", tmp_path / "packs"
    folder = output / FY / LABEL
    render_pack(marts, PACK, FY, LABEL, output, final_verdict)
    with pytest.raises(NotPublishable, match="only a signed-off pack is published"):
        publish(PACK, folder, root=site)
    _approve(marts, folder, PACK, "Priya Shah", dt.datetime(2025, 9, 15, 10, tzinfo=dt.UTC),
             "run-1")
    first = publish(PACK, folder, root=site, now=dt.datetime(2025, 9, 15, 11, tzinfo=dt.UTC))
    v1 = {f["path"]: (site / f["path"]).read_bytes() for f in first["files"]}
    # the same approval published again is the same publication
    assert publish(PACK, folder, root=site)["version"] == 1

    _restate_august(marts)
    render_pack(marts, PACK, FY, LABEL, output, final_verdict)
    _approve(marts, folder, PACK, "Priya Shah", dt.datetime(2025, 9, 22, 10, tzinfo=dt.UTC),
             "run-2")
    second = publish(PACK, folder, root=site, now=dt.datetime(2025, 9, 22, 11, tzinfo=dt.UTC))

    assert (first["version"], second["version"]) == (1, 2)
    assert second["data_version"] != first["data_version"]
    index = json.loads((site / "index.json").read_text())
    entries = {p["version"]: p for p in index["publications"]}
    assert entries[1]["superseded"] == {
        "on": "2025-09-22", "by_version": 2,
        "changes": [{"label": "Total spent (£)", "from": "42100.50", "to": "43100.50"}]}
    assert entries[2]["superseded"] is None
    # both versions' files intact, and each matches its sha256 in index.json
    assert {path: (site / path).read_bytes() for path in v1} == v1
    for entry in entries.values():
        for f in entry["files"]:
            assert hashlib.sha256((site / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    assert {f["path"].split("/")[3] for f in second["files"]} == {"v2"}
    page = (site / "packs" / f"{PACK}.html").read_text()
    assert "Superseded on 2025-09-22 by version 2" in page
    assert "Total spent (£)" in page and "43100.50" in page
    index_page = (site / "index.html").read_text()
    assert "Version" in index_page and "2025-09-15" in index_page and "2025-09-22" in index_page
    assert "<script" not in index_page + page
    # the site is world-readable, whatever the umask
    for p in [site, *site.rglob("*")]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o755 if p.is_dir() else 0o644), (p, oct(mode))


def test_a_publication_is_never_overwritten(marts, final_verdict, tmp_path):
    site, output = tmp_path / "published", tmp_path / "packs"
    folder = output / FY / LABEL
    render_pack(marts, PACK, FY, LABEL, output, final_verdict, pdf=False)
    _approve(marts, folder, PACK, "Priya Shah", dt.datetime(2025, 9, 15, 10, tzinfo=dt.UTC),
             "run-3")
    (site / FY / LABEL / PACK / "v1").mkdir(parents=True)
    (site / FY / LABEL / PACK / "v1" / "left-by-hand.txt").write_text("x")
    with pytest.raises(NotPublishable, match="never overwritten"):
        publish(PACK, folder, root=site)
    assert (site / FY / LABEL / PACK / "v1" / "left-by-hand.txt").read_text() == "x"


def test_a_restricted_pack_is_never_published(marts, final_verdict, tmp_path):
    output = tmp_path / "packs"
    render_pack(marts, "finance-outturn", FY, LABEL, output, final_verdict, pdf=False)
    _approve(marts, output / FY / LABEL, "finance-outturn", "Sam Okafor",
             dt.datetime(2025, 9, 15, 10, tzinfo=dt.UTC), "run-4")
    with pytest.raises(NotPublishable, match="restricted"):
        publish("finance-outturn", output / FY / LABEL, root=tmp_path / "published")
    assert not (tmp_path / "published").exists()
