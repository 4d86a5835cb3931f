"""The public cabinet-quarterly pack, rendered from the hand-made marts of cabinet_fixtures.py
through its report models (dbt/models/reports/cabinet, built over them); every expected
count below is worked out by hand from those rows."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time

import pytest
from benchmark_fixtures import fill_benchmarks
from cabinet_fixtures import (  # noqa: F401  (fixtures are found by name)
    EXPECTED_ACTIONS,
    EXPECTED_BY_DIRECTORATE,
    EXPECTED_BY_PRIORITY,
    EXPECTED_HEAT,
    FUTURE_RISK,
    FY,
    IND_DEFS_SHA,
    IND_OLD_SHA,
    IND_VALUES_SHA,
    PLAN_Q1_SHA,
    PLAN_SHA,
    RISK_SHAS,
    SECRET_COMMENT,
    SECRET_ID,
    SECRET_NAME,
    cabinet_marts_fixture,
    cabinet_risk_fixture,
    rebuild_reports,
)
from leaks import leaks
from conftest import BUDGET_SHA, LEDGER_SHA
from test_accessibility import _axe, browser  # noqa: F401

from onecouncil.calendar import FiscalQuarter, FiscalYear
from onecouncil.packs import PACKS, render_pack
from onecouncil.packs.cabinet_quarterly import build
from onecouncil.packs.rows import fetch

PACK = "cabinet-quarterly"
# Python's words where a reader expects the pack's ("None: every row was loaded." is English)


def _read(paths, suffix):
    return next(p for p in paths if p.name.endswith(suffix)).read_bytes()


def _render(conn, verdict, tmp_path, quarter="Q2", pdf=False, fiscal_year=FY):
    paths = render_pack(conn, PACK, fiscal_year, quarter, tmp_path, verdict, pdf=pdf)
    return paths, _read(paths, ".html").decode(), json.loads(_read(paths, ".json"))


def _section(html, start, end):
    return html[html.index(f'id="{start}"'):html.index(f'id="{end}"')]


def _row(html, header):
    """The cells of the table row headed `header`, as text."""
    m = re.search(rf"<tr><th scope=\"row\">{re.escape(header)}</th>(.*?)</tr>", html, re.S)
    assert m, f"no row {header!r}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                  m.group(1), re.S)]


def test_registered_public_and_quarterly(cabinet_marts, final_verdict, tmp_path):
    spec = PACKS[PACK]
    assert spec.public is True and spec.cadence == "quarterly"
    with pytest.raises(ValueError, match="quarterly"):
        render_pack(cabinet_marts, PACK, FY, "P06", tmp_path, final_verdict, pdf=False)
    # a quarter with no data at all renders (see test_a_quarter_with_no_data_...)
    render_pack(cabinet_marts, PACK, "2030-31", "Q1", tmp_path, final_verdict, pdf=False)


def test_plan_actions_and_indicator_counts(cabinet_marts, final_verdict, tmp_path):
    _, html, doc = _render(cabinet_marts, final_verdict, tmp_path)
    f = doc["figures"]
    assert {p["priority"]: p["counts"] for p in f["plan_actions"]} == EXPECTED_ACTIONS
    assert f["plan_actions_total"]["total"] == 9
    assert f["plan_actions_total"]["counts"]["overdue"] == 1
    actions = _section(html, "actions", "indicators")
    # complete, on track, at risk, off track, not started, overdue, total
    assert _row(actions, "Healthy lives") == ["1", "2", "0", "0", "0", "1", "4"]
    assert _row(actions, "All priorities") == ["2", "3", "1", "1", "1", "1", "9"]

    assert {g["name"]: g["counts"] for g in f["indicators_by_directorate"]} == \
        EXPECTED_BY_DIRECTORATE
    assert {g["name"]: g["counts"] for g in f["indicators_by_priority"]} == EXPECTED_BY_PRIORITY
    # the indicator without a priority is counted, last, under its own heading
    assert f["indicators_by_priority"][-1]["name"] == "No Council Plan priority"
    assert f["indicators_by_directorate_total"]["counts"] == {
        "Red": 2, "Amber": 1, "Green": 2, "Data only": 1, "Not returned": 1}
    assert f["indicators_reported"] == 7  # month rows and the non-public one left out
    indicators = _section(html, "indicators", "red")
    # Red, Amber, Green, Data only, Not returned, Total
    assert _row(indicators, "Place") == ["0", "1", "1", "0", "1", "3"]
    assert _row(indicators, "Healthy lives") == ["1", "0", "0", "1", "0", "2"]
    assert _row(indicators, "All indicators") == ["2", "1", "2", "1", "1", "7"]
    # provisional and not returned are marked, and not returned listed in data quality too
    assert "Household waste recycled (%) (Place): " in indicators
    assert '<span class="marker">(provisional)</span>' in indicators
    assert "Potholes repaired within 28 days (%) (Place)" in indicators
    dq = html[html.index('id="dq-indicators"'):]
    assert "PLA02 Potholes repaired within 28 days (%)" in dq
    assert "Does not apply" not in dq


def test_red_indicators_each_have_a_chart_and_numbers(cabinet_marts, final_verdict, tmp_path):
    _, html, doc = _render(cabinet_marts, final_verdict, tmp_path)
    reds = doc["figures"]["red_indicators"]
    assert [r["indicator_id"] for r in reds] == ["ADU01", "CHI01"]
    red = _section(html, "red", "finance")
    for r in reds:
        cid = r["chart_id"]
        assert re.search(rf'<svg[^>]*role="img"[^>]*aria-labelledby="{cid}-title {cid}-desc"',
                         red)
        assert f'<table id="{cid}-data">' in red
    # ADU01: the last eight of its nine quarters, oldest first; commentary shown
    adu = reds[0]
    periods = [p["period"] for p in adu["trend"]["points"]]
    assert periods[0] == "Q3 2023-24" and periods[-1] == "Q2 2025-26" and len(periods) == 8
    assert "88.0%" not in red  # the ninth quarter back
    assert "Fewer reablement places after a provider closed in July." in red
    assert adu["value"] == "75.0%" and adu["target"] == "85.0%"
    # the numbers behind the chart: period, value, numerator, denominator, target, RAG
    assert _row(red, "Q2 2025-26")[:4] == ["75.0%", "30", "40", "85.0%"]
    assert "Q2 2025-26: 75.0%" in red  # in the chart's text alternative too
    # CHI01 has only six quarters: the chart says so; commentary is escaped
    chi = reds[1]
    assert len(chi["trend"]["points"]) == 6
    assert "Children in care placed more than 20 miles from home: last 6 quarters" in red
    assert "local &lt;children&#39;s home&gt; is refurbished" in red
    assert html.count('role="img"') == 2


def test_counts_of_people_under_five_are_suppressed(cabinet_marts, final_verdict, tmp_path):
    paths, html, doc = _render(cabinet_marts, final_verdict, tmp_path)
    reds = {r["indicator_id"]: r for r in doc["figures"]["red_indicators"]}
    chi = reds["CHI01"]
    # values 7, 4, 6, 5 in 2024-25: 4 hidden, and 5 with it so the year's total can't
    # give it away; 8, 3 in 2025-26: 3 hidden, and 8 with it
    assert [p["value"] for p in chi["trend"]["points"]] == ["7", "<5", "6", "<5", "<5", "<5"]
    assert chi["value"] == "<5" and chi["value_suppressed"] is True
    # ADU01's numerator of 4 (Q4 2023-24) is hidden with its denominator, and the other
    # 2023-24 quarter's, so neither can be worked out by subtraction
    adu = reds["ADU01"]["trend"]["points"]
    assert [(p["numerator"], p["denominator"]) for p in adu[:3]] == [
        ("<5", "<5"), ("<5", "<5"), ("85", "100")]
    red = _section(html, "red", "finance")
    assert "&lt;5" in red and "&#34;&lt;5&#34; means fewer than 5 people" in red
    # the chart draws no point for a hidden value
    chart = red[red.index('id="trend-2-figcaption"'):red.index('id="trend-2-data"')]
    assert chart.count("<circle") == 2  # only 7 and 6
    # the hidden numbers are nowhere in the published files
    text = _read(paths, ".json").decode()
    for hidden in ('"3"', '"4"', '"8"', '"5"'):
        assert hidden not in text, hidden
    assert ">3<" not in red and ">8<" not in red


def test_non_public_indicators_never_appear(cabinet_risk, final_verdict, tmp_path):
    paths, html, doc = _render(cabinet_risk, final_verdict, tmp_path, pdf=True)
    for p in paths:
        data = p.read_bytes()
        for secret in (SECRET_ID, SECRET_NAME, SECRET_COMMENT):
            assert secret.encode() not in data, (p.name, secret)
    if shutil.which("pdftotext"):
        pdf = next(p for p in paths if p.suffix == ".pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert SECRET_NAME not in text and "Household waste recycled" in text
    # nor in the counts (ADU99 is Red and changed from Green: neither is counted)
    assert doc["figures"]["indicators_by_directorate_total"]["counts"]["Red"] == 2
    assert doc["classification"] == "Public"


def test_what_changed_since_last_quarter(cabinet_marts, final_verdict, tmp_path):
    _, html, doc = _render(cabinet_marts, final_verdict, tmp_path)
    changes = [(c["indicator_id"], c["from"], c["rag"]) for c in doc["figures"]["changes"]]
    assert changes == [("ADU01", "Amber", "Red"), ("PLA01", "Green", "Amber"),
                       ("PLA03", "Amber", "Green"), ("PLA02", "Green", "Not returned")]
    section = html[html.index('id="changes"'):html.index('id="data-quality"')]
    assert "Indicators whose RAG rating changed since Q1 2025-26" in section
    assert _row(section, "People still at home 91 days after leaving hospital (%)") == [
        "Adult Services", "Amber", "Red"]
    assert _row(section, "Household waste recycled (%)")[-1] == "Amber (provisional)"


def test_finance_summary_in_thousands(cabinet_marts, final_verdict, tmp_path):
    _, html, doc = _render(cabinet_marts, final_verdict, tmp_path)
    assert doc["figures"]["finance"]["council"]["variance"] == "32000"
    finance = _section(html, "finance", "risks")
    assert "Forecast overspend of £32,000" in finance
    # budget, spent, forecast, variance, variance %, RAG
    assert _row(finance, "Adult Services") == ["1,800.0", "900.0", "1,880.0", "80.0", "4.4%",
                                               "Red"]
    assert _row(finance, "Place")[3] == "-60.0"
    assert _row(finance, "Council total") == ["5,000.0", "2,502.0", "5,032.0", "32.0", "0.6%",
                                              "Amber"]
    assert "£000, rounded to one decimal place" in finance
    # period 6's unmapped line is listed under data quality, period 5's is not
    assert _row(html[html.index('id="dq-unmapped"'):], "Ledger") == [
        "Z999", "4001", "cost centre not in reference data", "2", "2,000.00"]
    # period 6 only: the period 5 rows of the same tables are not read
    assert "Unmapped" in finance and finance.count("<tr><th scope=\"row\">") == 4 + 1


def test_risk_not_yet_available_without_the_mart(cabinet_marts, final_verdict, tmp_path):
    _, html, doc = _render(cabinet_marts, final_verdict, tmp_path)
    risks = _section(html, "risks", "changes")
    assert "Risk data is not yet available" in risks
    assert "<table" not in risks
    assert doc["figures"]["risk"]["available"] is False
    assert "marts.risk_register" not in doc["lineage"]["marts"]
    assert '<a href="#risks">Corporate risks</a>' in html


def test_risk_not_yet_available_before_the_first_snapshot(cabinet_risk, final_verdict,
                                                          tmp_path):
    cabinet_risk.execute("delete from marts.risk_register where snapshot_date <= '2025-09-30'")
    rebuild_reports(cabinet_risk)
    _, html, _ = _render(cabinet_risk, final_verdict, tmp_path)
    risks = _section(html, "risks", "changes")
    assert "Risk data is not yet available" in risks and FUTURE_RISK not in html


def test_risk_heat_map_and_highest_risks(cabinet_risk, final_verdict, tmp_path):
    _, html, doc = _render(cabinet_risk, final_verdict, tmp_path)
    risk = doc["figures"]["risk"]
    assert risk["available"] is True and risk["snapshot_date"] == "2025-09-15"
    assert risk["open_risks"] == 5
    counts = {(row["likelihood"], c["impact"]): c["count"]
              for row in risk["heat_map"] for c in row["cells"]}
    assert {k: v for k, v in counts.items() if v} == EXPECTED_HEAT
    assert len(counts) == 25
    section = _section(html, "risks", "changes")
    # a real table: caption, column and row headers, counts and the rating as words
    assert '<table id="heat-map">' in section and "<caption" in section
    assert '<th scope="col" class="num">Impact 5</th>' in section
    cells = _row(section, "Likelihood 3")
    assert cells == ["0 Low (3)", "0 Medium (6)", "0 Medium (9)", "2 High (12) CR03, CR04",
                     "0 High (15)"]
    assert _row(section, "Likelihood 5")[-1] == "1 Very high (25) CR01"
    assert [r["risk_id"] for r in risk["highest"]] == ["CR01", "CR02", "CR03", "CR04"]
    assert _row(section, "CR01 Adult social care demand exceeds budget") == [
        "5", "5", "25", "Very high", "12", "Yes", "Up (from 20)"]
    highest = section[section.index('id="highest-risks"'):]
    assert "CR05" not in highest and "CR04 Recruiting social workers" in highest  # Medium
    for absent in ("Closed corporate risk", "Directorate risk, not corporate", FUTURE_RISK):
        assert absent not in html
    assert "2 rated Very high" in html


def test_lineage_and_byte_identical_rerender(cabinet_risk, final_verdict, tmp_path):
    first = render_pack(cabinet_risk, PACK, FY, "Q2", tmp_path / "a", final_verdict)
    second = render_pack(cabinet_risk, PACK, FY, "q2", tmp_path / "b", final_verdict)
    assert sorted(p.name for p in first) == [f"{PACK}.html", f"{PACK}.json", f"{PACK}.pdf"]
    assert all(p.parent == tmp_path / "a" / FY / "Q2" for p in first)
    for a, b in zip(sorted(first), sorted(second), strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two renders"
    doc = json.loads(_read(first, ".json"))
    assert doc["classification"] == "Public" and doc["period"] == "Q2"
    assert "transform-1" not in _read(first, ".json").decode()
    shas = sorted(f["sha256"] for f in doc["lineage"]["source_files"])
    # values files of the rows shown, the definitions in force, this quarter's plan file,
    # the register read, and the finance files at period 6; not Q1's plan, nor the other
    # registers
    assert shas == sorted([IND_VALUES_SHA, IND_OLD_SHA, IND_DEFS_SHA, PLAN_SHA,
                           RISK_SHAS["2025-09-15"], LEDGER_SHA, BUDGET_SHA])
    assert PLAN_Q1_SHA not in shas
    assert "marts.indicator_results" in doc["lineage"]["marts"]
    assert doc["lineage"]["thresholds"]["risk_very_high_from"] == 16
    assert "{{" not in doc["lineage"]["thresholds"]["council_name"]
    html = _read(first, ".html").decode()
    assert doc["data_version"][:12] in html and IND_VALUES_SHA[:12] in html


def test_quarter_four_adds_annual_indicators(cabinet_marts):
    figures, _ = build(cabinet_marts, FiscalQuarter(FiscalYear.parse(FY), 4))
    assert figures["indicators_reported"] == 2  # CHI02's quarter and PLA10's year
    red = figures["red_indicators"]
    assert [r["indicator_id"] for r in red] == ["PLA10"]
    assert red[0]["period"] == "2025-26" and red[0]["trend"]["annual"] is True
    assert [p["period"] for p in red[0]["trend"]["points"]] == ["2024-25", "2025-26"]
    assert figures["finance"]["available"] is False  # no period 12 in the fixture
    # quarter 2 never sees the year rows
    q2, _ = build(cabinet_marts, FiscalQuarter(FiscalYear.parse(FY), 2))
    assert "PLA10" not in json.dumps([r["indicator_id"] for r in q2["red_indicators"]])


def test_finance_not_yet_available_is_said(cabinet_marts, final_verdict, tmp_path):
    _, html, _ = _render(cabinet_marts, final_verdict, tmp_path, quarter="Q4")
    assert "The finance figures for period 12, the end of this quarter, are not yet " \
        "available." in html
    # nothing for Q3 in the fixture: said so, rather than "nothing changed"
    assert "There are no indicator figures for Q3 2025-26 to compare with." in html


def test_draft_when_blocking_checks_fail(cabinet_marts, failed_verdict, tmp_path):
    _, html, doc = _render(cabinet_marts, failed_verdict, tmp_path)
    assert doc["status"] == "draft"
    assert html.index("DRAFT - data checks failed") < html.index('id="actions"')


@pytest.mark.parametrize("verdict_name", ["final_verdict", "failed_verdict"])
def test_no_axe_violations(browser, cabinet_risk, request, tmp_path, verdict_name):  # noqa: F811
    verdict = request.getfixturevalue(verdict_name)
    paths = render_pack(cabinet_risk, PACK, FY, "Q2", tmp_path, verdict, pdf=False)
    page, results = _axe(browser, next(p for p in paths if p.suffix == ".html"))
    try:
        assert results.violations_count == 0, json.dumps(
            [{"id": v["id"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"][:5]]}
             for v in results.response["violations"]], indent=2)
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        page.close()


def test_pdf_is_tagged_and_quick(cabinet_risk, final_verdict, tmp_path):
    start = time.perf_counter()
    paths = render_pack(cabinet_risk, PACK, FY, "Q2", tmp_path, final_verdict)
    elapsed = time.perf_counter() - start
    pdf = next(p for p in paths if p.suffix == ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        assert re.search(r"^Title:\s+Awaiting sign-off - "
                         r"Cabinet quarterly performance report, 2025-26, quarter 2",
                         info, re.M), info
        assert re.search(r"^Page size:.*\(A4\)", info, re.M), info
    assert elapsed < 20, f"render took {elapsed:.1f}s"


# ---------------------------------------------------------------- report models

def _report(conn, relation, columns, quarter=2, order="sort_order"):
    return fetch(conn, f"select {columns} from reports.{relation} where fiscal_year = %(fy)s "
                       f"and quarter = %(q)s order by {order}", {"fy": FY, "q": quarter})


def test_report_models_hold_every_count_the_pack_shows(cabinet_risk):
    """The counts, totals, orders and choices are the report models' rows (hand-counted in
    cabinet_fixtures.py), not worked out by the pack."""
    conn = cabinet_risk
    rows = _report(conn, "rpt_cabinet__indicators_by_directorate",
                   "name, is_total, red, amber, green, data_only, not_returned, total")
    assert [r["name"] for r in rows] == ["Adult Services", "Children's Services", "Place",
                                         "All indicators"]
    assert [r["is_total"] for r in rows] == [False, False, False, True]
    assert {r["name"]: {"Red": r["red"], "Amber": r["amber"], "Green": r["green"],
                        "Data only": r["data_only"], "Not returned": r["not_returned"]}
            for r in rows[:-1]} == EXPECTED_BY_DIRECTORATE
    assert (rows[-1]["red"], rows[-1]["total"]) == (2, 7)
    priorities = [r["name"] for r in _report(conn, "rpt_cabinet__indicators_by_priority", "name")]
    assert priorities == ["Best start in life", "Greener city", "Healthy lives",
                          "Thriving economy", "No Council Plan priority", "All indicators"]
    plan = _report(conn, "rpt_cabinet__plan_actions_by_priority",
                   "priority, is_total, complete, on_track, overdue, total")
    assert [(p["priority"], p["total"]) for p in plan] == [
        ("Best start in life", 2), ("Greener city", 2), ("Healthy lives", 4),
        ("Thriving economy", 1), ("All priorities", 9)]
    assert (plan[2]["complete"], plan[2]["on_track"], plan[2]["overdue"]) == (1, 2, 1)
    # the listed rows: 7 public quarter rows, the secret and the month row left out
    listed = _report(conn, "rpt_cabinet__indicators", "indicator_id, listed_provisional")
    assert len(listed) == 7 and SECRET_ID not in {r["indicator_id"] for r in listed}
    assert [r["indicator_id"] for r in listed if r["listed_provisional"]] == ["CHI01", "PLA01"]
    # Red trends: ADU01's last eight of nine quarters, CHI01's six, oldest first
    trends = _report(conn, "rpt_cabinet__red_indicator_trends",
                     "indicator_id, point_order, point_fiscal_year, point_quarter",
                     order="red_sort_order, point_order")
    adu = [(t["point_fiscal_year"], t["point_quarter"]) for t in trends
           if t["indicator_id"] == "ADU01"]
    assert adu[0] == ("2023-24", 3) and adu[-1] == ("2025-26", 2) and len(adu) == 8
    assert sum(t["indicator_id"] == "CHI01" for t in trends) == 6
    changes = _report(conn, "rpt_cabinet__rag_changes", "indicator_id, previous_rag, rag")
    assert [(c["indicator_id"], c["previous_rag"], c["rag"]) for c in changes] == [
        ("ADU01", "Amber", "Red"), ("PLA01", "Green", "Amber"), ("PLA03", "Amber", "Green"),
        ("PLA02", "Green", "Not returned")]
    finance = _report(conn, "rpt_cabinet__finance_summary", "directorate_code, is_total, period")
    assert [f["directorate_code"] for f in finance] == ["ADU", "CHI", "PLA", "UNMAPPED", None]
    assert finance[-1]["is_total"] and {f["period"] for f in finance} == {6}


def test_report_models_choose_the_register_and_count_the_risks(cabinet_risk):
    conn = cabinet_risk
    cells = _report(conn, "rpt_cabinet__risk_heat_map",
                    "snapshot_date, likelihood, impact, risk_count, risk_ids",
                    order="likelihood desc, impact")
    assert len(cells) == 25 and {c["snapshot_date"].isoformat() for c in cells} == {"2025-09-15"}
    assert {(c["likelihood"], c["impact"]): c["risk_count"] for c in cells
            if c["risk_count"]} == EXPECTED_HEAT
    assert next(c["risk_ids"] for c in cells if (c["likelihood"], c["impact"]) == (3, 4)) == [
        "CR03", "CR04"]
    by_rating = _report(conn, "rpt_cabinet__open_risks_by_rating", "rating, risk_count")
    assert [(r["rating"], r["risk_count"]) for r in by_rating] == [
        ("Very high", 2), ("High", 2), ("Medium", 1), ("Low", 0), ("All open risks", 5)]
    assert [r["risk_id"] for r in _report(conn, "rpt_cabinet__highest_risks", "risk_id")] == [
        "CR01", "CR02", "CR03", "CR04"]
    # quarter 1 reads the June register: CR01 alone, at 4 x 5
    q1 = _report(conn, "rpt_cabinet__open_risks", "snapshot_date, risk_id, current_score", 1)
    assert [(r["snapshot_date"].isoformat(), r["risk_id"], r["current_score"]) for r in q1] == [
        ("2025-06-15", "CR01", 20)]
    # lineage: the pack's files for quarter 2, as reports.pack_sources lists them
    shas = {r["sha256"] for r in fetch(
        conn, "select sha256 from reports.pack_sources where pack = %(p)s and fiscal_year = "
              "%(fy)s and period = 'Q2'", {"p": PACK, "fy": FY})}
    assert shas == {IND_VALUES_SHA, IND_OLD_SHA, IND_DEFS_SHA, PLAN_SHA,
                    RISK_SHAS["2025-09-15"], LEDGER_SHA, BUDGET_SHA}


def test_a_quarter_with_no_data_renders_not_yet_available(cabinet_marts, final_verdict,
                                                          tmp_path):
    """No indicator, plan, finance or risk rows for 2030-31 Q1: the pack renders, and each
    section says in plain words which feeds it waits for."""
    _, html, doc = _render(cabinet_marts, final_verdict, tmp_path, quarter="Q1",
                           fiscal_year="2030-31")
    f = doc["figures"]
    assert f["indicators"] == {"available": False, "waiting_for": [
        "performance/indicators", "performance/indicator_values"]}
    assert f["actions"] == {"available": False, "waiting_for": ["performance/plan_actions"]}
    assert f["finance"]["available"] is False and f["finance"]["waiting_for"] == [
        "finance/ledger", "finance/budget", "finance/forecast"]
    assert f["risk"]["available"] is False and f["risk"]["waiting_for"] == ["risk/register"]
    assert f["indicators_reported"] == 0 and f["red_indicators"] == []
    waiting = "Not yet available: waiting for the performance/indicators and " \
        "performance/indicator_values feeds."
    for start, end in (("indicators", "red"), ("red", "finance"), ("changes", "data-quality")):
        assert waiting in _section(html, start, end), start
    assert "Not yet available: waiting for the performance/plan_actions feed." in \
        _section(html, "actions", "indicators")
    assert "Not yet available: waiting for the finance/ledger, finance/budget and " \
        "finance/forecast feeds." in _section(html, "finance", "risks")
    assert "Not yet available: waiting for the risk/register feed." in \
        _section(html, "risks", "changes")
    assert "<table" not in _section(html, "actions", "data-quality")
    assert leaks(html) == []


def test_only_indicator_files_in(cabinet_marts, final_verdict, tmp_path):
    """A quarter with indicators but no risk register, plan or finance rows (2025-26 Q4 of
    the fixture has CHI02 and PLA10 only)."""
    cabinet_marts.execute("delete from marts.plan_action_progress")
    rebuild_reports(cabinet_marts)
    _, html, doc = _render(cabinet_marts, final_verdict, tmp_path, quarter="Q4")
    f = doc["figures"]
    assert "indicators" not in f and f["indicators_reported"] == 2
    assert f["actions"]["waiting_for"] == ["performance/plan_actions"]
    assert f["risk"]["waiting_for"] == ["risk/register"]
    assert "Indicators: not yet available" not in html
    assert "Council Plan actions: not yet available." in html
    assert leaks(html) == []


def test_no_code_shows_through(cabinet_risk, final_verdict, tmp_path):
    fill_benchmarks(cabinet_risk)  # every feed in: the benchmarks too
    rebuild_reports(cabinet_risk)
    _, html, doc = _render(cabinet_risk, final_verdict, tmp_path)
    assert leaks(html) == []
    # with every feed in, the JSON has no not-yet-available parts (as before the models)
    assert "indicators" not in doc["figures"] and "actions" not in doc["figures"]
    assert "waiting_for" not in json.dumps(doc)
