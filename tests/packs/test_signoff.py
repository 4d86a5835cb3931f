"""Sign-off in Airflow: the monthly pack DAG renders its packs `Awaiting sign-off`, waits
on one human-in-the-loop approval per pack and period, and goes on only when answered,
here through `onecouncil signoff` on the metadata database (as with no service running).

Approve: the pack is Final, naming the approver and the time, byte for byte the same
otherwise, in ops.signoffs, and (public) published. Reject: the reason is recorded and the
pack stays unpublished. A draft is never put up for sign-off.
"""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from typer.testing import CliRunner

from onecouncil.calendar import parse
from onecouncil.packs.output import pack_dir

FY = "2025-26"


def _checks(conn, status: str) -> None:
    conn.execute("insert into ops.runs (run_id, dag_id, finished_at, outcome) values "
                 "('transform-signoff', 'transform', now(), 'success')")
    conn.execute("insert into ops.check_results (run_id, check_name, source, severity, status)"
                 " values ('transform-signoff', 'totals_reconcile', 'dbt', 'blocking', %s)",
                 (status,))


def _unstamped(html: str) -> str:
    """The HTML without its stamp: the marked regions and the title."""
    html = re.sub(r"<!--stamp:(\w+)-->.*?<!--/stamp:\1-->", "", html, flags=re.S)
    return re.sub(r"<title>.*?</title>", "", html, flags=re.S)


def _cli(*args: str):
    from onecouncil.cli import app

    done = CliRunner().invoke(app, list(args))
    assert done.exit_code == 0, done.output
    return done.output


def _run(settings, output, periods: str, answers: dict | None):
    """Run monthly_packs for `periods`; when it waits, note what waits and give `answers`
    ({(pack, period): cli args}) through the CLI."""
    from onecouncil.signoff.inprocess import run_until_signoff

    seen = {}

    def on_waiting(run_id):
        seen["list"] = _cli("signoff", "list")
        seen["packs"] = {}
        for (pack, period), args in answers.items():
            folder = pack_dir(output, parse(period))
            seen["packs"][pack, period] = {
                p.suffix: p.read_bytes() for p in folder.glob(f"{pack}.*")}
            _cli("signoff", *args)

    run_id, state = run_until_signoff(
        "packs.py", "monthly_packs", {"period": periods, "output": str(output)}, settings,
        on_waiting=on_waiting if answers else None)
    return run_id, state, seen


def test_the_dag_waits_for_sign_off_then_stamps_final_publishes_or_records_the_rejection(
        marts, settings, tmp_path):
    from onecouncil.publish.site import published_root, read_index
    from onecouncil.signoff.records import decisions

    _checks(marts, "pass")
    output = tmp_path / "packs"
    answers = {
        ("transparency-spend", "2025-26-P05"):
            ("approve", "transparency-spend", "2025-26-P05", "--by", "Priya Shah"),
        ("finance-outturn", "2025-26-P05"):
            ("approve", "finance-outturn", "2025-26-P05", "--by", "Sam Okafor"),
        ("transparency-spend", "2025-26-P04"):
            ("reject", "transparency-spend", "2025-26-P04", "--by", "Priya Shah",
             "--reason", "July supplier names not yet checked"),
        ("finance-outturn", "2025-26-P04"):
            ("reject", "finance-outturn", "2025-26-P04", "--by", "Sam Okafor",
             "--reason", "Forecasts missing"),
    }
    run_id, state, seen = _run(settings, output, "2025-26-P04,2025-26-P05", answers)
    assert state == "success"
    # what waited: every pack and period, awaiting sign-off, none of it Final
    for pack, period in answers:
        assert pack in seen["list"] and period in seen["list"]
        before = seen["packs"][pack, period]
        assert json.loads(before[".json"])["status"] == "awaiting sign-off"
        assert b"<title>Awaiting sign-off - " in before[".html"]
        assert b'<dd class="status">Final' not in before[".html"]

    # approved: Final, naming the approver and when, the rest byte for byte the same
    folder = pack_dir(output, parse("2025-26-P05"))
    doc = json.loads((folder / "transparency-spend.json").read_text())
    assert doc["status"] == "final"
    assert doc["signoff"]["signed_off_by"] == "Priya Shah"
    assert doc["signoff"]["approver"] == "Director of Finance"
    assert doc["signoff"]["signed_off_at"].startswith("20")
    before = json.loads(seen["packs"]["transparency-spend", "2025-26-P05"][".json"])
    assert {k: v for k, v in doc.items() if k not in ("status", "signoff")} == {
        k: v for k, v in before.items() if k not in ("status", "signoff")}
    html = (folder / "transparency-spend.html").read_text()
    assert '<dd class="status">Final</dd>' in html and "by Priya Shah (Director of Finance)" in html
    old = seen["packs"]["transparency-spend", "2025-26-P05"][".html"].decode()
    assert _unstamped(old) == _unstamped(html) and old != html
    assert (folder / "transparency-spend.csv").read_bytes() == \
        seen["packs"]["transparency-spend", "2025-26-P05"][".csv"]
    assert (folder / "transparency-spend.pdf").read_bytes() != \
        seen["packs"]["transparency-spend", "2025-26-P05"][".pdf"]  # made again, stamped
    assert json.loads((folder / "finance-outturn.json").read_text())["status"] == "final"

    # every decision in ops.signoffs, with who, when, the data version and the reason
    rows = {(d["pack"], d["period"]): d for d in decisions(marts, run_id=run_id)}
    assert set(rows) == set(answers)
    assert rows["transparency-spend", "2025-26-P05"]["decision"] == "approved"
    assert rows["transparency-spend", "2025-26-P05"]["decided_by"] == "Priya Shah"
    assert rows["transparency-spend", "2025-26-P05"]["data_version"] == doc["data_version"]
    rejected = rows["transparency-spend", "2025-26-P04"]
    assert rejected["decision"] == "rejected"
    assert rejected["reason"] == "July supplier names not yet checked"

    # published: the approved public pack only; the rejected one and the restricted one not
    root = published_root(settings)
    mine = [p for p in read_index(root)["publications"]
            if p["data_version"] == doc["data_version"] and p["pack"] == "transparency-spend"]
    assert [(p["period"], p["version"], p["signed_off_by"]) for p in mine] == [
        ("2025-26-P05", 1, "Priya Shah")]
    for f in mine[0]["files"]:
        data = (root / f["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"]
    assert sorted(f["format"] for f in mine[0]["files"]) == ["CSV", "HTML", "PDF"]
    published = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    assert not any("finance-outturn" in p for p in published)
    assert not any("2025-26/P04/transparency-spend" in p for p in published)


def test_a_draft_cannot_be_signed_off(marts, settings, tmp_path):
    _checks(marts, "fail")
    output = tmp_path / "packs"
    run_id, state, _ = _run(settings, output, "2025-26-P05", None)
    assert state == "success"  # nothing waited: the approvals skipped, saying why
    folder = pack_dir(output, parse("2025-26-P05"))
    assert json.loads((folder / "transparency-spend.json").read_text())["status"] == "draft"
    from onecouncil.cli import app

    done = CliRunner().invoke(app, ["signoff", "approve", "transparency-spend", "2025-26-P05",
                                    "--by", "Priya Shah"])
    assert done.exit_code == 1 and "never put up for sign-off" in done.output


@pytest.fixture
def restamp_inputs(marts, final_verdict, tmp_path):
    from onecouncil.packs import render_pack

    render_pack(marts, "transparency-spend", FY, "P05", tmp_path, final_verdict, pdf=False)
    return tmp_path / FY / "P05"


def test_restamp_refuses_a_draft_and_another_data_version(marts, failed_verdict, tmp_path,
                                                          restamp_inputs):
    import datetime as dt

    from onecouncil.packs import render_pack, stamp

    at = dt.datetime(2025, 9, 20, 9, 30, tzinfo=dt.UTC)
    with pytest.raises(stamp.CannotSignOff, match="rendered again from other data"):
        stamp.restamp(restamp_inputs, "transparency-spend", by="A", at=at, data_version="0" * 64)
    render_pack(marts, "transparency-spend", FY, "P05", tmp_path, failed_verdict, pdf=False)
    with pytest.raises(stamp.CannotSignOff, match="DRAFT - data checks failed"):
        stamp.restamp(restamp_inputs, "transparency-spend", by="A", at=at)


def test_the_demo_stamps_its_packs_side_by_side_and_each_task_records_its_approval(
        marts, settings, tmp_path, monkeypatch):
    """The demo's approver (cli._approve_all) stamps every waiting pack Final in worker
    processes, at the time its answers carry; the approval tasks, resumed in this process,
    find their packs Final and only record the decision: no PDF laid out again here."""
    import datetime as dt

    from onecouncil import cli
    from onecouncil.packs import parallel, stamp
    from onecouncil.signoff.inprocess import run_until_signoff
    from onecouncil.signoff.records import decisions

    _checks(marts, "pass")
    output = tmp_path / "packs"
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    here = []
    real = stamp.restamp
    monkeypatch.setattr(stamp, "restamp", lambda *a, **k: here.append(a) or real(*a, **k))
    run_id, state = run_until_signoff(
        "packs.py", "monthly_packs", {"period": "2025-26-P05", "output": str(output)},
        settings, on_waiting=cli._approve_all("demo", output))
    assert state == "success"
    assert here == []  # every pack was stamped by the workers, none again by its task
    folder = pack_dir(output, parse("2025-26-P05"))
    rows = {d["pack"]: d for d in decisions(marts, run_id=run_id)}
    assert set(rows) == {"finance-outturn", "transparency-spend"}
    for pack, row in rows.items():
        doc = json.loads((folder / f"{pack}.json").read_text())
        assert doc["status"] == "final" and doc["signoff"]["signed_off_by"] == "demo"
        assert row["decision"] == "approved" and row["decided_by"] == "demo"
        # the pack shows the moment the decision records
        assert dt.datetime.fromisoformat(doc["signoff"]["signed_off_at"]) == row["decided_at"]
        assert row["data_version"] == doc["data_version"]
        assert '<dd class="status">Final</dd>' in (folder / f"{pack}.html").read_text()
        assert (folder / f"{pack}.pdf").read_bytes().startswith(b"%PDF")
