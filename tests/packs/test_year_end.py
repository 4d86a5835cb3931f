"""The Chief Executive's year-end summary: figures worked out by hand in services_fixtures.

The pack reads the report models (reports.rpt_year_end__*), built by report_models over
the hand-made marts; the tests check those rows, the pack made from them, and that a
part with no rows says it is not yet available.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time

from leaks import leaks
from conftest import FY
from cabinet_fixtures import IND_VALUES_SHA, PLAN_Q1_SHA, PLAN_SHA
from services_fixtures import (  # noqa: F401  (fixtures are found by name)
    rebuild_reports,
    services_marts_fixture,
    year_end_marts_fixture,
)

from onecouncil.packs import PACKS, render_pack
from onecouncil.packs.indicators import NO_TARGET
from onecouncil.packs.rows import fetch

PACK = "year-end"


def _read(paths, suffix):
    return next(p for p in paths if p.name.endswith(suffix)).read_bytes()


def _render(conn, verdict, tmp_path, pdf=False):
    paths = render_pack(conn, PACK, FY, "year", tmp_path, verdict, pdf=pdf)
    return paths, _read(paths, ".html").decode(), json.loads(_read(paths, ".json"))


def _row(html, header):
    m = re.search(rf"<tr><th scope=\"row\">{re.escape(header)}</th>(.*?)</tr>", html, re.S)
    assert m, f"no row {header!r}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                  m.group(1), re.S)]


def test_registered_public_and_annual():
    assert PACKS[PACK].public and PACKS[PACK].cadence == "annual"


def test_actions_completed_by_priority(year_end_marts, final_verdict, tmp_path):
    _, html, doc = _render(year_end_marts, final_verdict, tmp_path)
    a = doc["figures"]["actions"]
    assert a["quarter"] == 2  # the latest update in the fixture
    assert a["total"] == {"priority": "All priorities", "actions": 9, "complete": 2}
    assert _row(html, "Healthy lives") == ["1", "4"]
    assert "2 of 9 Council Plan actions complete." in html


def test_indicators_at_year_end(year_end_marts, final_verdict, tmp_path):
    _, html, doc = _render(year_end_marts, final_verdict, tmp_path)
    ind = doc["figures"]["indicators"]
    got = {r["indicator_id"]: (r["value"], r["target"], r["rag"]) for r in ind["rows"]}
    assert got == {"ADU01": ("79.5%", "85.0%", "Red"), "ADU02": ("12", "", "Data only"),
                   "CHI01": ("<5", "2", "Red"), "PLA01": ("51.0%", "50.0%", "Green"),
                   "PLA10": ("70.0%", "75.0%", "Red")}
    assert ind["by_rag"] == {"Red": 3, "Amber": 0, "Green": 1, "Data only": 1,
                             "Not returned": 0}
    assert _row(html, "Household waste recycled (%)")[:2] == ["Place", "Year to 31/03/2026"]
    assert "Deprivation of Liberty" not in html
    # the data-only indicator has no target: the pack says so in words, never "None"
    assert _row(html, "Safeguarding enquiries opened")[3] == NO_TARGET
    assert "None" not in _row(html, "Safeguarding enquiries opened")
    assert "Data only" in html and leaks(html) == []


def test_outturn_at_period_13(year_end_marts, final_verdict, tmp_path):
    _, html, doc = _render(year_end_marts, final_verdict, tmp_path)
    f = doc["figures"]["finance"]
    assert f["period"] == 13 and f["council"]["variance"] == "30000"
    assert "overspent by £30,000 (1.0% of the budget)" in html
    assert _row(html, "Children&#39;s Services")[3] == "-20.0"


def test_outturn_falls_back_to_period_12(year_end_marts, final_verdict, tmp_path):
    year_end_marts.execute("delete from marts.finance_outturn_council where period = 13")
    rebuild_reports(year_end_marts)
    _, html, doc = _render(year_end_marts, final_verdict, tmp_path)
    f = doc["figures"]["finance"]
    assert f["period"] == 12
    assert "Outturn at period 12:" in html
    # the directorates are read at the same period: ADU 1,800,000 -> 1,900,000 at P12
    assert [(d["directorate_code"], d["variance"]) for d in f["directorates"]] == [
        ("ADU", "100000"), ("CHI", "0")]


def test_not_yet_available(services_marts, final_verdict, tmp_path):
    # the services fixture has no period 12/13 and no year-end rows but PLA10's year row
    services_marts.execute("drop table marts.plan_action_progress")
    rebuild_reports(services_marts)  # the report layer stands in an empty mart
    _, html, doc = _render(services_marts, final_verdict, tmp_path)
    assert "Council Plan action data is not yet available for this year: waiting for the " \
           "performance/plan_actions feed." in html
    assert "Revenue outturn data is not yet available for this year: waiting for the " \
           "finance/ledger feed." in html
    f = doc["figures"]
    assert (f["actions"]["available"], f["actions"]["waiting_for"]) == (
        False, ["performance/plan_actions"])
    assert (f["finance"]["available"], f["finance"]["waiting_for"]) == (
        False, ["finance/ledger"])
    assert f["indicators"]["available"] and "waiting_for" not in f["indicators"]
    assert leaks(html) == []
    services_marts.execute("drop table marts.indicator_results")
    rebuild_reports(services_marts)
    _, html, doc = _render(services_marts, final_verdict, tmp_path)
    assert "Indicator data is not yet available for this year: waiting for the " \
           "performance/indicators and performance/indicator_values feeds." in html
    assert doc["figures"]["indicators"]["waiting_for"] == [
        "performance/indicators", "performance/indicator_values"]
    assert doc["lineage"]["marts"] == []
    assert leaks(html) == []


def test_writes_to_year_folder_byte_identical_and_tagged(year_end_marts, final_verdict,
                                                         tmp_path):
    start = time.perf_counter()
    first = render_pack(year_end_marts, PACK, FY, "year", tmp_path / "a", final_verdict)
    elapsed = time.perf_counter() - start
    second = render_pack(year_end_marts, PACK, FY, "year", tmp_path / "b", final_verdict)
    assert sorted(p.name for p in first) == [f"{PACK}.html", f"{PACK}.json", f"{PACK}.pdf"]
    assert all(p.parent == tmp_path / "a" / FY / "year" for p in first)
    assert _read(first, ".json") == _read(second, ".json")
    doc = json.loads(_read(first, ".json"))
    assert doc["period"] == "year" and doc["classification"] == "Public"
    assert doc["lineage"]["source_files"]
    pdf = next(p for p in first if p.suffix == ".pdf")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        assert re.search(r"^Title:\s+Awaiting sign-off - "
                         r"Year-end summary of achievements, 2025-26, full year",
                         info, re.M), info
    assert elapsed < 20, f"render took {elapsed:.1f}s"


def test_report_rows(year_end_marts):
    """The report rows the pack reads, worked out by hand in the fixtures."""
    def rows(sql):
        return fetch(year_end_marts, f"{sql} where fiscal_year = %(fy)s order by sort_order",
                     {"fy": FY})

    # quarter 2 is the latest update: Best start 2 (0 complete), Greener city 2 (1),
    # Healthy lives 4 (1), Thriving economy 1 (0); all 9 (2)
    assert [tuple(r.values()) for r in rows(
        "select quarter, priority, actions, complete "
        "from reports.rpt_year_end__plan_actions_by_priority")] == [
        (2, "Best start in life", 2, 0), (2, "Greener city", 2, 1), (2, "Healthy lives", 4, 1),
        (2, "Thriving economy", 1, 0), (2, "All priorities", 9, 2)]
    assert {r["rag"]: r["indicators"] for r in rows(
        "select rag, indicators from reports.rpt_year_end__indicators_by_rag")} == {
        "Red": 3, "Amber": 0, "Green": 1, "Data only": 1, "Not returned": 0}
    # each indicator's latest year or year-to-date row: PLA10's year row, the others' 31/03
    assert {r["indicator_id"]: (r["period_type"], str(r["period_end"])) for r in rows(
        "select indicator_id, period_type, period_end from reports.rpt_year_end__indicators")
    } == {"ADU01": ("ytd", "2026-03-31"), "ADU02": ("ytd", "2026-03-31"),
          "CHI01": ("ytd", "2026-03-31"), "PLA01": ("ytd", "2026-03-31"),
          "PLA10": ("year", "2026-03-31")}
    council = fetch(year_end_marts, "select period, variance from "
                    "reports.rpt_year_end__outturn_council where fiscal_year = %(fy)s",
                    {"fy": FY})
    assert [(c["period"], str(c["variance"])) for c in council] == [(13, "30000")]
    assert [r["directorate_code"] for r in rows(
        "select directorate_code from reports.rpt_year_end__outturn_directorates")] == [
        "ADU", "CHI"]


def test_lineage(year_end_marts, final_verdict, tmp_path):
    doc = _render(year_end_marts, final_verdict, tmp_path)[2]
    shas = {f["sha256"] for f in doc["lineage"]["source_files"]}
    # the quarter 2 plan update and the indicator values; not quarter 1's plan update
    assert {PLAN_SHA, IND_VALUES_SHA} <= shas
    assert PLAN_Q1_SHA not in shas
    assert doc["lineage"]["marts"] == [
        "marts.plan_action_progress", "marts.indicator_results",
        "marts.finance_outturn_council", "marts.finance_outturn_directorate"]
