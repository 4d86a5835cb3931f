"""What is not a feed file is refused with its reason, never read, never silently skipped;
a file still being written waits; the home's state is owner-only (contracts/sources.md)."""

from __future__ import annotations

import dataclasses
import os
import stat
import time
from pathlib import Path

import pytest

from onecouncil.feeds import feed_by_folder
from onecouncil.ingest.run import ingest_feed, record_not_feed_files, survey

PAYMENTS = ("Date,Transaction Number,Amount,Supplier Name\n"
            "01/08/2025,T1,600.00,Acme Ltd\n")
SECRET = "Date,Transaction Number,Amount,Supplier Name\n01/08/2025,S1,99999.00,Root Only\n"


def _files(conn, run_id=None):
    return {(feed, name): (outcome, reason, sha, archive) for feed, name, outcome, reason, sha,
            archive in conn.execute(
                "select feed, file_name, outcome, reason, sha256, archive_path from ops.files "
                "where run_id is not distinct from coalesce(%s, run_id) order by file_id",
                (run_id,))}


@pytest.fixture
def messy(landing, drop, tmp_path):
    """A landing folder holding one real payments file and every kind of non-feed file."""
    drop("finance/payments", "aug.csv", PAYMENTS)
    secret = tmp_path / "secret" / "root-only.csv"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    secret.chmod(0o600)
    (landing / "finance/payments/linked.csv").symlink_to(secret)
    (landing / "finance/ledger").mkdir(parents=True)
    (landing / "finance/ledger/elsewhere").symlink_to(secret.parent, target_is_directory=True)
    drop("", "stray.csv", PAYMENTS)
    drop("finance", "payments-aug.csv", PAYMENTS)
    drop("finance/payments/old", "jul.csv", PAYMENTS)
    drop("misc/stuff", "notes.csv", PAYMENTS)
    drop("finance/payments", "macro.xlsm", b"PK\x03\x04 not really a workbook")
    drop("finance/payments", "README", "read me")
    drop("_simulation", "manifest.json", "{}")  # the project's own folder
    drop("finance/payments", "~$aug.xlsx", "an Excel lock file")
    return secret


def test_every_non_feed_file_is_refused_with_its_reason_and_left_in_place(
        conn, landing, messy, settings, ingest):
    found = {(f.place, f.path.name): f.reason for f in survey(landing)}
    assert found == {
        ("finance/payments", "linked.csv"): "a symbolic link: not read",
        ("finance/ledger", "elsewhere"): "a symbolic link: not read",
        ("(landing folder)", "stray.csv"):
            "directly in the landing folder, not in a feed folder: put it in its feed's "
            "folder, for example finance/payments/",
        ("finance", "payments-aug.csv"):
            "directly in finance/, not in a feed folder (those there: finance/budget, "
            "finance/capital, finance/forecast, finance/ledger, finance/payments)",
        ("finance/payments/old", "jul.csv"):
            "in a sub-folder of the feed finance/payments: only files directly in "
            "finance/payments/ are loaded",
        ("misc/stuff", "notes.csv"):
            "in misc/stuff/, which is not a feed folder (`onecouncil feeds list` names them)",
        ("finance/payments", "macro.xlsm"): "a .xlsm file: only .csv and .xlsx files are loaded",
        ("finance/payments", "README"):
            "a file without an extension: only .csv and .xlsx files are loaded",
    }
    recorded = record_not_feed_files(conn, survey(landing), run_id="r1")
    assert len(recorded) == len(found)
    outcomes = ingest("r1")
    assert [(o.file_name, o.outcome) for o in outcomes] == [("aug.csv", "loaded")]
    rows = _files(conn, "r1")
    for key, reason in found.items():
        outcome, recorded_reason, sha, archive = rows[key]
        assert (outcome, recorded_reason, sha, archive) == ("refused", reason, None, None)
    # nothing of the linked file was read: not loaded, not in the archive
    assert conn.execute("select count(*) from raw.finance__payments "
                        "where supplier_name = 'Root Only'").fetchone()[0] == 0
    for path in settings.archive.rglob("*"):
        assert not path.is_file() or b"Root Only" not in path.read_bytes(), path
    # left where they are; the loaded file is gone from the landing folder
    assert (landing / "finance/payments/linked.csv").is_symlink()
    assert (landing / "finance/payments/macro.xlsm").exists()
    assert not (landing / "finance/payments/aug.csv").exists()
    # the same files found again are not recorded again; a changed one is
    assert record_not_feed_files(conn, survey(landing), run_id="r2") == []
    (landing / "finance/payments-aug.csv").rename(landing / "finance/payments-aug2.csv")
    again = record_not_feed_files(conn, survey(landing), run_id="r2")
    assert [(o.feed, o.file_name) for o in again] == [("finance", "payments-aug2.csv")]


def test_a_run_records_the_non_feed_files_and_its_summary_lists_them(conn, landing, messy):
    from onecouncil.ingest.summary import file_outcomes
    from onecouncil.pipelines.ingest import prepare_run

    prepare_run("hygiene-run", "ingest_landing", landing)
    listed = {(f["feed"], f["file_name"]): (f["outcome"], f["reason"])
              for f in file_outcomes(conn, "hygiene-run")}
    assert listed[("finance/payments", "linked.csv")] == ("refused", "a symbolic link: not read")
    assert listed[("finance/payments/old", "jul.csv")][0] == "refused"
    assert len(listed) == 8


def test_a_utf16_file_is_refused_as_utf16_not_as_binary(conn, drop, ingest):
    drop("finance/payments", "utf16.csv", PAYMENTS.encode("utf-16"))
    drop("finance/payments", "utf16be.csv", PAYMENTS.encode("utf-16-be"))
    reasons = {o.file_name: o.reason for o in ingest()}
    for name in ("utf16.csv", "utf16be.csv"):
        assert reasons[name].startswith("unreadable: UTF-16 text"), reasons[name]
        assert "NUL" not in reasons[name]


def test_a_file_changed_in_the_last_minute_waits_for_the_next_run(conn, landing, drop, settings):
    payments = feed_by_folder("finance/payments")
    old = drop("finance/payments", "old.csv", PAYMENTS)
    fresh = landing / "finance/payments/fresh.csv"
    fresh.write_text(PAYMENTS.replace("T1", "T2"))
    waiting = dataclasses.replace(settings, settle_seconds=60)
    outcomes = ingest_feed(conn, payments, landing, run_id="settle", settings=waiting)
    assert [o.file_name for o in outcomes] == ["old.csv"]
    assert fresh.exists() and not old.exists()
    stamp = time.time() - 61
    os.utime(fresh, (stamp, stamp))
    outcomes = ingest_feed(conn, payments, landing, run_id="settle-2", settings=waiting)
    assert [(o.file_name, o.outcome) for o in outcomes] == [("fresh.csv", "loaded")]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_the_home_is_owner_only_but_the_published_site(tmp_path):
    from onecouncil import settings as _settings
    from onecouncil.ingest import archive
    from onecouncil.owner_only import restrict
    from onecouncil.packs.output import atomic_write

    home = tmp_path / "home"
    for sub in ("archive/finance/payments/ab", "output/2025-26/P05", "logs", "published/x"):
        (home / sub).mkdir(parents=True)
    for path in [home, *home.rglob("*")]:  # as an earlier version left them
        path.chmod(0o755)
    (home / "archive/finance/payments/ab/old.csv").write_text("x")
    (home / "archive/finance/payments/ab/old.csv").chmod(0o644)
    (home / "output/2025-26/P05/finance-outturn.xlsx").write_text("x")
    (home / "published/x/index.html").write_text("x")
    (home / "published/x/index.html").chmod(0o644)
    (home / "feeds.yml").write_text("{}")
    (home / "feeds.yml").chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        settings = dataclasses.replace(_settings.load(), home=home)
        restrict(settings)
        assert _mode(home) == 0o711  # others may pass through, not list
        for sub in ("archive", "output", "logs"):
            assert _mode(home / sub) == 0o700, sub
            for path in (home / sub).rglob("*"):
                assert not _mode(path) & 0o077, path
        assert _mode(home / "feeds.yml") == 0o600
        assert _mode(home / "published") == 0o755
        assert _mode(home / "published/x/index.html") == 0o644
        # what is written from now on is owner-only too
        kept = archive.keep(home / "archive", "finance/payments", "cd" * 32, "aug.csv", b"x")
        assert _mode(kept) == 0o400 and _mode(kept.parent) == 0o700
        pack = atomic_write(home / "output/2025-26/P06/finance-outturn.json", b"{}")
        assert _mode(pack) == 0o600 and _mode(pack.parent) == 0o700
    finally:
        os.umask(old_umask)


def test_the_warehouse_home_is_owner_only_after_up(warehouse, settings):
    home = settings.home
    assert _mode(home) == 0o711
    for entry in home.iterdir():
        if entry.name not in ("published", "pgdata", "landing"):
            assert not _mode(entry) & 0o077, entry
