"""The simulator: deterministic, complete, messy in the promised ways, and honest in its
manifest. Small runs only (scale 0.01-0.03, a few periods); nothing here needs a database."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from onecouncil.calendar import FiscalPeriod
from onecouncil.feeds.registry import FEEDS, feed_by_folder
from onecouncil.simulate import simulate
from onecouncil.simulate._common import parse_amount

_spec = importlib.util.spec_from_file_location(
    "simulate_contract_reader", Path(__file__).with_name("contract_reader.py"))
contract_reader = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = contract_reader
_spec.loader.exec_module(contract_reader)

THROUGH = "2025-26-P02"
SCALE = 0.02


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("landing")
    return root, simulate(root, FiscalPeriod.parse(THROUGH), scale=SCALE, seed=7)


@pytest.fixture(scope="module")
def run_p05(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("landing_p05")
    return root, simulate(root, "2025-26-P05", scale=0.01, seed=7)


def test_same_inputs_give_byte_identical_files(run, tmp_path):
    root, manifest = run
    again = simulate(tmp_path, THROUGH, scale=SCALE, seed=7)
    assert _hashes(tmp_path) == _hashes(root)
    assert again == manifest
    assert any(p.endswith(".xlsx") for p in _hashes(root))  # XLSX included


def test_seed_changes_the_output(run, tmp_path):
    root, _ = run
    simulate(tmp_path, THROUGH, scale=SCALE, seed=8)
    a, b = _hashes(root), _hashes(tmp_path)
    assert a.keys() == b.keys()  # same files: the calendar does not depend on the seed
    refused = {e["path"] for e in run[1]["files"] if e["expected_outcome"] == "refused"}
    for name in a.keys() - refused:  # (the refused file is a bare header)
        if "/ledger/" in name or "/contacts/" in name or name.endswith(".xlsx"):
            assert a[name] != b[name], name


def test_every_registry_folder_gets_a_file(run):
    root, manifest = run
    folders = {f.folder for f in FEEDS}
    assert len(folders) == 21  # 18 of sources.md and the 3 benchmark feeds
    written = {e["feed"] for e in manifest["files"]}
    assert written == folders
    for folder in folders:
        assert any((root / folder).iterdir()), folder


def test_every_folder_has_a_file_even_after_one_period(tmp_path):
    manifest = simulate(tmp_path, "2025-26-P01", scale=0.01)
    assert {e["feed"] for e in manifest["files"]} == {f.folder for f in FEEDS}


def test_manifest_arithmetic(run):
    root, manifest = run
    assert manifest["through"] == THROUGH and manifest["scale"] == SCALE and manifest["seed"] == 7
    files = manifest["files"]
    assert [e["arrival_order"] for e in files] == list(range(1, len(files) + 1))
    for e in files:
        assert e["rows_read"] == e["rows_loaded"] + e["rows_quarantined"], e["path"]
        assert e["expected_outcome"] in ("loaded", "refused", "duplicate")
        if e["expected_outcome"] == "refused":
            assert e["rows_loaded"] == 0
        if e["expected_outcome"] == "duplicate":
            assert e["rows_read"] == e["rows_loaded"] == e["rows_quarantined"] == 0
        assert len(e.get("quarantine", [])) == e["rows_quarantined"]
    outcomes = [e["expected_outcome"] for e in files]
    assert outcomes.count("refused") == 1
    assert outcomes.count("duplicate") == 1
    assert sum(e["rows_quarantined"] for e in files) > 20  # bad rows in most feeds
    with_bad = {e["feed"] for e in files if e["rows_quarantined"]}
    assert not any(f.startswith("reference/") or f == "finance/budget" for f in with_bad)
    assert len(with_bad) >= 12
    on_disk = json.loads((root / "_simulation" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest


def test_arrival_order_is_mtime_then_path(run):
    root, manifest = run
    by_mtime = sorted(manifest["files"], key=lambda e: (os.stat(root / e["path"]).st_mtime,
                                                        e["path"]))
    assert [e["path"] for e in by_mtime] == [e["path"] for e in manifest["files"]]


def test_duplicate_is_the_same_bytes_under_another_name(run):
    root, manifest = run
    dup = next(e for e in manifest["files"] if e["expected_outcome"] == "duplicate")
    original = [e for e in manifest["files"] if e["sha256"] == dup["sha256"] and e is not dup]
    assert len(original) == 1 and original[0]["arrival_order"] < dup["arrival_order"]
    assert (root / dup["path"]).read_bytes() == (root / original[0]["path"]).read_bytes()


def test_manifest_agrees_with_an_independent_reading_of_the_contract(run):
    """Every file, read the way contracts/sources.md says, gives the manifest's outcome,
    row counts and quarantined lines."""
    root, manifest = run
    seen: set[str] = set()
    for e in manifest["files"]:
        verdict = contract_reader.read(feed_by_folder(e["feed"]), root / e["path"], seen)
        assert (verdict.outcome, verdict.rows_read, verdict.rows_quarantined) == (
            e["expected_outcome"], e["rows_read"], e["rows_quarantined"]), (e["path"], verdict)
        if verdict.outcome == "loaded":
            assert verdict.bad_lines == [q["line"] for q in e.get("quarantine", [])], e["path"]


def test_ledger_is_a_windows_1252_erp_export_with_an_exact_control_total(run):
    root, manifest = run
    ledgers = [e for e in manifest["files"] if e["feed"] == "finance/ledger"]
    assert [Path(e["path"]).name for e in ledgers] == [
        "GL_Actuals_2025-26_P01.csv", "GL_Actuals_2025-26_P02.csv"]
    for e in ledgers:
        data = (root / e["path"]).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert b"\xa3" in data  # £ in Windows-1252
        assert data.count(b"\r\n") == data.count(b"\n")  # CRLF throughout
        rows = list(csv.reader(io.StringIO(data.decode("cp1252"), newline="")))
        header = rows[0]
        assert "Trans No" in header and "Net Amount" in header
        k = header.index("Net Amount")
        trailer = rows[-1]
        assert trailer[0] == "TOTAL" and rows[-2] == []  # a blank row before the trailer
        body = [r for r in rows[1:-2]]
        assert len(body) == e["rows_read"]
        total = sum((parse_amount(r[k]) for r in body), Decimal("0"))
        assert parse_amount(trailer[k]) == total
        assert str(total) == e["control_total"]
        cells = [r[k] for r in body]
        assert any(c.startswith("(") for c in cells) and any(c.startswith("£") for c in cells)
        assert any(r[4] == "CC9999" for r in body)  # valid lines outside the reference data
        assert all("/" in r[1] for r in body if r[1])  # UK dates


def test_xlsx_risk_register_has_title_rows_and_cached_formulas(run):
    from openpyxl import load_workbook

    root, manifest = run
    risk = [e for e in manifest["files"] if e["feed"] == "risk/register"]
    assert len(risk) == 2
    sheets = []
    for e in risk:
        wb = load_workbook(root / e["path"], data_only=True)
        sheets.append(wb.sheetnames)
        ws = wb["register"] if "register" in wb.sheetnames else wb.worksheets[0]
        assert ws["A1"].value == "Milton Keynes City Council - Risk Register"
        assert str(ws["A2"].value).startswith("Exported ")
        header = [c.value for c in ws[4]]
        assert header[:3] == ["Snapshot Date", "Risk ID", "Risk Title"]
        score = header.index("Current Score")
        row5 = [c.value for c in ws[5]]
        assert row5[score] == row5[header.index("Current Likelihood")] * row5[
            header.index("Current Impact")]
        formulas = load_workbook(root / e["path"])[ws.title]
        assert str(formulas.cell(5, score + 1).value).startswith("=")
    assert ["Summary", "register"] in sheets  # the data is not always on the first sheet


def test_restatement_and_late_forecast_arrive_after_what_they_follow(run_p05):
    _, manifest = run_p05
    order = {e["path"]: e["arrival_order"] for e in manifest["files"]}
    ledger = "finance/ledger/GL_Actuals_2025-26_P0{}.csv"
    restated = "finance/ledger/GL_Actuals_2025-26_P03_RESTATED.csv"
    assert order[ledger.format(3)] < order[ledger.format(4)] < order[restated]
    forecast = "finance/forecast/Forecast_Outturn_2025-26_P0{}.csv"
    assert order[forecast.format(5)] < order[forecast.format(4)]
    assert manifest["facts"]["restated_files"] == [restated]


def test_earlier_files_do_not_depend_on_how_far_the_run_goes(run_p05, tmp_path):
    """A period's files are the same whether the run stops there or goes on."""
    _, longer = run_p05
    shorter = simulate(tmp_path, THROUGH, scale=0.01, seed=7)
    a = {e["path"]: e["sha256"] for e in shorter["files"]}
    b = {e["path"]: e["sha256"] for e in longer["files"]}
    common = a.keys() & b.keys()
    assert len(common) > 60
    assert {p for p in common if a[p] != b[p]} == set()


def test_a_rerun_removes_the_files_of_the_previous_run(tmp_path):
    simulate(tmp_path, "2025-26-P02", scale=0.01)
    assert (tmp_path / "finance/ledger/GL_Actuals_2025-26_P02.csv").exists()
    (tmp_path / "finance/ledger/notes.txt").write_text("not the simulator's")
    manifest = simulate(tmp_path, "2025-26-P01", scale=0.01)
    assert not (tmp_path / "finance/ledger/GL_Actuals_2025-26_P02.csv").exists()
    assert (tmp_path / "finance/ledger/notes.txt").exists()
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*")
               if p.is_file() and "_simulation" not in p.parts and p.suffix != ".txt"}
    assert on_disk == {e["path"] for e in manifest["files"]}


def test_only_2025_26_is_simulated(tmp_path):
    with pytest.raises(ValueError):
        simulate(tmp_path, "2024-25-P06", scale=0.01)
