"""The audit-committee pack, rendered from the hand-made risk and audit marts of
audit_fixtures.py; every expected figure below is worked out by hand from those rows."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from audit_fixtures import (  # noqa: F401
    ENGAGEMENT_SHAS,
    FUTURE_AUDIT,
    FUTURE_RISK,
    RECOMMENDATION_SHAS,
    RESTRICTED_ID,
    RESTRICTED_TITLE,
    RISK_SHAS,
    audit_marts_fixture,
    fill_audit_only,
    fill_indicators_only,
    fill_risk_only,
)
from leaks import leaks
from conftest import FY
from test_accessibility import CHROMIUM, _axe, browser  # noqa: F401

from onecouncil.packs import PACKS, render_pack
from onecouncil.packs.rows import fetch
from onecouncil.quality.results import CheckResult, Verdict

PACK = "audit-committee"
SECTIONS = {"heat-map": "risk/register", "register": "risk/register",
            "plan": "audit/engagements", "opinions": "audit/engagements",
            "weak-audits": "audit/engagements", "overdue": "audit/recommendations",
            "implementation": "audit/recommendations"}
# What a reader must never see where words are expected (brief: nothing of the code
# shows through). "None: ..." is the packs' own English for an empty list.


def _render(conn, verdict, folder, label="Q2", pdf=False, fiscal_year=FY):
    paths = render_pack(conn, PACK, fiscal_year, label, folder, verdict, pdf=pdf)
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    doc = json.loads(next(p for p in paths if p.suffix == ".json").read_bytes())
    return paths, html, doc


def _section(html, start, end):
    return html[html.index(f'id="{start}"'):html.index(f'id="{end}"')]


def _grid(doc):
    return {(c["likelihood"], c["impact"]): c for row in doc["figures"]["heat_map"]
            for c in row["cells"]}


def test_registered_restricted_and_quarterly(audit_marts, final_verdict, tmp_path):
    spec = PACKS[PACK]
    assert spec.public is False and spec.cadence == "quarterly"
    with pytest.raises(ValueError, match="quarterly"):
        render_pack(audit_marts, PACK, FY, "P05", tmp_path, final_verdict)


def test_quarter_end_dates(audit_marts):
    ends = {r["quarter"]: r["quarter_end"].isoformat() for r in fetch(
        audit_marts, "select quarter, quarter_end from reports.rpt_audit__snapshots "
        "where fiscal_year = %(fy)s", {"fy": FY})}
    assert ends == {1: "2025-06-30", 2: "2025-09-30", 3: "2025-12-31", 4: "2026-03-31"}


def test_rating_bands(audit_marts):
    # the heat map rates every cell by the configured bands (dbt vars), empty cells too
    rated = {r["score"]: r["rating"] for r in fetch(
        audit_marts, "select distinct score, rating from reports.rpt_audit__risk_heat_map "
        "where fiscal_year = %(fy)s and quarter = 2", {"fy": FY})}
    words = {1: "Low", 4: "Low", 5: "Medium", 9: "Medium", 10: "High", 15: "High",
             16: "Very high", 25: "Very high"}
    assert {score: rated[score] for score in words} == words
    assert len(rated) == 14  # the distinct products of 1-5 x 1-5, each with one rating


def test_snapshot_chosen_is_the_latest_on_or_before_quarter_end(audit_marts, final_verdict,
                                                                tmp_path):
    _, html, doc = _render(audit_marts, final_verdict, tmp_path)
    assert doc["figures"]["snapshots"] == {
        "risk": "2025-09-30", "risk_previous": "2025-06-30", "engagements": "2025-09-26",
        "plan": "2025-09-26", "recommendations": "2025-09-26", "implementation": "2025-09-26"}
    # the October snapshots come after 30 September and must not leak into quarter 2
    assert FUTURE_RISK not in html and FUTURE_AUDIT not in html
    assert "Risk register: 30/09/2025 (movement is against 30/06/2025)" in html
    # lineage: exactly the files of the snapshots read, by hash
    shas = {f["sha256"] for f in doc["lineage"]["source_files"]}
    assert shas == {RISK_SHAS["2025-09-30"], RISK_SHAS["2025-06-30"],
                    ENGAGEMENT_SHAS["2025-09-26"], RECOMMENDATION_SHAS["2025-09-26"]}
    assert doc["lineage"]["quarantine"][0]["reason"] == "current_impact is not 1-5"
    assert set(doc["lineage"]["marts"]) >= {"marts.risk_register", "marts.audit_implementation"}

    _, html1, q1 = _render(audit_marts, final_verdict, tmp_path, "Q1")
    assert q1["figures"]["snapshots"]["risk"] == "2025-06-30"
    assert q1["figures"]["snapshots"]["risk_previous"] is None
    assert q1["figures"]["snapshots"]["engagements"] == "2025-06-27"
    grid = _grid(q1)
    assert (grid[(4, 4)]["count"], grid[(3, 5)]["count"], grid[(2, 2)]["count"]) == (2, 1, 1)

    _, html3, q3 = _render(audit_marts, final_verdict, tmp_path, "Q3")
    assert q3["figures"]["snapshots"]["risk"] == "2025-10-31"
    assert FUTURE_RISK in html3


def _assert_waiting(html, doc, missing):
    """Every section in `missing` says it is not yet available and names its feed; the
    others are available; no code shows through."""
    sections = doc["figures"]["sections"]
    assert set(sections) == set(SECTIONS)
    ids = list(SECTIONS) + ["risk-audit-checks"]
    for section, feed in SECTIONS.items():
        assert sections[section] == ({"available": False, "waiting_for": [feed]}
                                     if section in missing
                                     else {"available": True, "waiting_for": []}), section
        part = _section(html, section, ids[ids.index(section) + 1])
        said = f"Not yet available: waiting for the {feed} feed." in part
        assert said == (section in missing), section
    assert leaks(html) == []


def test_a_quarter_with_no_risk_or_audit_data_renders_not_yet_available(
        audit_marts, final_verdict, tmp_path):
    # 2024-25 Q1 ends before every snapshot: the pack renders, it does not raise
    _, html, doc = _render(audit_marts, final_verdict, tmp_path, "Q1", fiscal_year="2024-25")
    _assert_waiting(html, doc, set(SECTIONS))
    f = doc["figures"]
    assert f["snapshots"] == dict.fromkeys(
        ("risk", "risk_previous", "engagements", "plan", "recommendations", "implementation"))
    assert f["quarter_end"] == "2024-06-30"
    assert (f["heat_map"], f["corporate_risks"], f["opinions"], f["implementation"]) == (
        [], [], [], [])
    assert (f["risk_summary"], f["plan"], f["overdue_total"], f["implementation_total"]) == (
        None, None, None, None)
    assert doc["lineage"]["source_files"] == [] and doc["lineage"]["quarantine"] == []
    assert "Risk register: not yet available (waiting for the risk/register feed)" in html


def test_a_warehouse_with_only_indicator_data_renders_every_section_waiting(
        conn, final_verdict, tmp_path):
    fill_indicators_only(conn)
    for label in ("Q1", "Q2"):
        _, html, doc = _render(conn, final_verdict, tmp_path, label)
        _assert_waiting(html, doc, set(SECTIONS))
        assert doc["lineage"]["source_files"] == []  # the indicator file is not this pack's
        assert doc["status"] == "awaiting sign-off"  # checks passed; Final only once signed off


def test_audit_data_without_a_risk_register_waits_for_the_risk_feed(conn, final_verdict,
                                                                    tmp_path):
    from audit_fixtures import RISK_DDL

    conn.execute(RISK_DDL)
    fill_audit_only(conn)
    _, html, doc = _render(conn, final_verdict, tmp_path)
    _assert_waiting(html, doc, {"heat-map", "register"})
    assert doc["figures"]["implementation_total"]["implementation_rate"] == "28.6"
    assert {f["feed"] for f in doc["lineage"]["source_files"]} == {
        "audit/engagements", "audit/recommendations"}


def test_a_risk_register_without_audit_data_waits_for_the_audit_feeds(conn, final_verdict,
                                                                      tmp_path):
    fill_risk_only(conn)
    _, html, doc = _render(conn, final_verdict, tmp_path)
    _assert_waiting(html, doc, {"plan", "opinions", "weak-audits", "overdue",
                                "implementation"})
    assert doc["figures"]["risk_summary"]["open"] == 6
    assert "Audit plan: not yet available (waiting for the audit/engagements feed)" in html
    assert {f["feed"] for f in doc["lineage"]["source_files"]} == {"risk/register"}


def test_a_quarter_with_all_its_data_has_no_sections_key(audit_marts, final_verdict, tmp_path):
    # the JSON of a complete quarter is unchanged from before the report models
    _, html, doc = _render(audit_marts, final_verdict, tmp_path)
    assert "sections" not in doc["figures"]
    assert "Not yet available" not in html
    assert leaks(html) == []


def test_figures_are_the_report_rows(audit_marts, final_verdict, tmp_path):
    """Every list the pack shows is its report model's rows for the quarter, in order."""
    _, _, doc = _render(audit_marts, final_verdict, tmp_path)
    f = doc["figures"]
    key = {"fy": FY, "q": 2}

    def ids(relation, column, where=""):
        return [r[column] for r in fetch(
            audit_marts, f"select {column} from reports.{relation} where fiscal_year = %(fy)s "
            f"and quarter = %(q)s {where} order by sort_order", key)]

    assert [r["risk_id"] for r in f["corporate_risks"]] == ids(
        "rpt_audit__risk_register", "risk_id", "and listed_as = 'open'")
    assert [r["audit_id"] for r in f["limited_no_assurance"]] == ids(
        "rpt_audit__limited_no_assurance", "audit_id")
    assert [r["recommendation_id"] for r in f["overdue_recommendations"]] == ids(
        "rpt_audit__overdue_recommendations", "recommendation_id")
    assert [c["risk_ids"] for row in f["heat_map"] for c in row["cells"]] == ids(
        "rpt_audit__risk_heat_map", "risk_ids")
    assert [str(s) if s is not None else None for s in ids("rpt_audit__opinions", "share")] \
        == [o["share"] for o in f["opinions"]]
    total = fetch(audit_marts, "select * from reports.rpt_audit__implementation "
                  "where fiscal_year = %(fy)s and quarter = %(q)s and is_total", key)[0]
    assert str(total["implementation_rate"]) == f["implementation_total"]["implementation_rate"]
    # lineage comes from the report layer: the files of the snapshots read, by file id
    files = fetch(audit_marts, "select f.sha256 from reports.rpt_audit__source_files s "
                  "join ops.files f using (file_id) where s.fiscal_year = %(fy)s "
                  "and s.period = 'Q2' order by 1", key)
    assert [r["sha256"] for r in files] == sorted(
        f_["sha256"] for f_ in doc["lineage"]["source_files"])


def test_heat_map_counts_and_rating_words(audit_marts, final_verdict, tmp_path):
    _, html, doc = _render(audit_marts, final_verdict, tmp_path)
    grid = _grid(doc)
    # open corporate risks at 30/09: CR01 4x5, CR02 4x4, CR03 and CR04 3x4, CR05 2x3, CR06 1x4.
    # ADU-R1 (5x5) is a directorate risk and CR07 (1x1) is closed: neither is counted.
    expected = {(4, 5): 1, (4, 4): 1, (3, 4): 2, (2, 3): 1, (1, 4): 1}
    assert {k: c["count"] for k, c in grid.items() if c["count"]} == expected
    assert len(grid) == 25 and grid[(5, 5)]["count"] == 0 and grid[(1, 1)]["count"] == 0
    assert grid[(3, 4)]["risk_ids"] == ["CR03", "CR04"]
    words = {(1, 4): "Low", (1, 5): "Medium", (3, 3): "Medium", (2, 5): "High",
             (3, 5): "High", (4, 4): "Very high", (5, 5): "Very high", (2, 2): "Low"}
    assert {k: grid[k]["rating"] for k in words} == words
    assert all(c["score"] == k[0] * k[1] for k, c in grid.items())
    # a real table: caption, scoped headers for both axes, count and rating as words
    heat = _section(html, "heat-map", "register")
    assert "<caption" in heat and "<img" not in heat
    assert [f"Impact {i}" for i in range(1, 6)] == re.findall(r'<th scope="col"[^>]*>(Impact \d)',
                                                             heat)
    assert re.findall(r'<th scope="row">(Likelihood \d)</th>', heat) == [
        f"Likelihood {i}" for i in range(5, 0, -1)]
    assert re.search(r'<td class="heat heat-high"><span class="heat-count">2</span> '
                     r'<span class="heat-rating">High \(12\)</span> '
                     r'<span class="heat-ids">CR03, CR04</span></td>', heat)
    assert '<span class="heat-rating">Very high (25)</span>' in heat


def test_register_rating_movement_appetite_and_reviews(audit_marts, final_verdict, tmp_path):
    _, html, doc = _render(audit_marts, final_verdict, tmp_path)
    f = doc["figures"]
    risks = {r["risk_id"]: r for r in f["corporate_risks"]}
    assert list(risks) == ["CR01", "CR02", "CR03", "CR04", "CR05", "CR06"]  # highest first
    assert sorted(k for k, r in risks.items() if r["above_appetite"]) == ["CR01", "CR02", "CR04"]
    assert sorted(k for k, r in risks.items() if r["review_overdue"]) == ["CR01", "CR05"]
    assert f["risk_summary"] == {
        "open": 6, "closed": 1, "above_appetite": 3, "review_overdue": 2,
        "by_rating": {"Very high": 2, "High": 2, "Medium": 1, "Low": 1},
        "movement": {"up": 1, "new": 1, "no change": 2, "down": 2, "closed": 1}}
    assert [r["risk_id"] for r in f["closed_risks"]] == ["CR07"]
    assert "6 open corporate risks" in html
    assert "2 Very high, 2 High, 1 Medium, 1 Low. 3 above appetite. 2 with an overdue review." \
        in html
    register = _section(html, "register", "plan")
    row = register[register.index("CR01 Cyber attack"):register.index("CR02 ")]
    assert '<span class="rating heat-very-high">Very high</span>' in row
    assert "Up (was 16)" in row and "15/09/2025" in row and row.count("<strong>Yes</strong>") == 2
    assert "Climate adaptation &lt;flooding&gt; &amp; heat" in register  # escaped
    assert "ADU-R1" not in html  # a directorate register's risk


def test_plan_progress_and_opinions(audit_marts, final_verdict, tmp_path):
    _, html, doc = _render(audit_marts, final_verdict, tmp_path)
    plan = doc["figures"]["plan"]
    # in scope: 8 of the 10 2025-26 audits (one cancelled, one deferred); 5 final, 1 draft
    assert (plan["audits_in_scope"], plan["final_reports"], plan["draft_reports"],
            plan["not_yet_reported"]) == (8, 5, 1, 2)
    assert [(o["opinion"], o["count"], o["share"]) for o in doc["figures"]["opinions"]] == [
        ("substantial", 1, "20.0"), ("reasonable", 1, "20.0"), ("limited", 2, "40.0"),
        ("no", 1, "20.0")]
    assert "5 of 8 audits at final report (62.5%)" in html
    opinions = _section(html, "opinions", "weak-audits")
    assert '<th scope="row">Limited</th><td class="num">2</td><td class="num">40.0%</td>' \
        in opinions
    assert "1 restricted audit is counted in these figures" in html


def test_limited_and_no_assurance_audits_listed_restricted_marked(audit_marts, final_verdict,
                                                                   tmp_path):
    _, html, doc = _render(audit_marts, final_verdict, tmp_path)
    listed = [(a["audit_id"], a["assurance_opinion"])
              for a in doc["figures"]["limited_no_assurance"]]
    # no assurance first; IA-24 is last year's plan finalised in May 2025; IA-23 was
    # finalised before this year and IA-05 is only a draft, so neither is listed
    assert listed == [("IA-04", "no"), ("IA-24", "limited"), ("IA-03", "limited"),
                      (RESTRICTED_ID, "limited")]
    weak = _section(html, "weak-audits", "overdue")
    assert (f'{RESTRICTED_ID} {RESTRICTED_TITLE} <span class="restricted-tag">Restricted</span>'
            in weak)
    assert weak.count('class="restricted-tag"') == 1
    assert "IA-23" not in weak and "Cyber security" not in weak


def test_overdue_recommendations_with_days_and_implementation_rate(audit_marts, final_verdict,
                                                                    tmp_path):
    _, html, doc = _render(audit_marts, final_verdict, tmp_path)
    f = doc["figures"]
    # snapshot 26/09/2025: R-01 due 30/06 (88 days), R-07 due 01/09 (25), R-03 due 31/08 (26),
    # R-04 due 31/07 (57). R-02's revised date (30/09) is not yet due; R-06 is due today.
    assert [(r["recommendation_id"], r["priority"], r["days_overdue"])
            for r in f["overdue_recommendations"]] == [
        ("R-01", "high", 88), ("R-07", "high", 25), ("R-03", "medium", 26), ("R-04", "low", 57)]
    assert f["overdue_by_directorate"] == [
        {"directorate_code": "ADU", "high": 0, "medium": 1, "low": 0, "total": 1},
        {"directorate_code": "CHI", "high": 1, "medium": 0, "low": 0, "total": 1},
        {"directorate_code": "FIN", "high": 0, "medium": 0, "low": 1, "total": 1},
        {"directorate_code": "PLA", "high": 1, "medium": 0, "low": 0, "total": 1}]
    assert f["overdue_total"] == {"high": 2, "medium": 1, "low": 1, "total": 4}
    # implemented 2 (R-05, R-09) / (2 + 4 overdue + 1 open and due) = 28.6%
    assert f["implementation_total"] == {"due": 8, "implemented": 2, "overdue": 4,
                                         "open_and_due": 1, "implementation_rate": "28.6"}
    overdue = _section(html, "overdue", "implementation")
    assert re.search(r"R-01 Keep a register of all S106 agreements</th><td>High</td>.*?"
                     r'<td class="num">88</td>', overdue, re.S)
    assert overdue.index("R-01") < overdue.index("R-07") < overdue.index("R-03") \
        < overdue.index("R-04")
    assert f'{RESTRICTED_ID} {RESTRICTED_TITLE} <span class="restricted-tag">Restricted</span>' \
        in overdue
    assert "4 agreed recommendations are open and past their due date at 26/09/2025" in html
    assert "Implementation rate 28.6%" in html


def test_risk_and_audit_checks_that_failed_are_listed(audit_marts, tmp_path):
    verdict = Verdict(run_id="t-1", results=(
        CheckResult("dbt", "risk_register_scores_in_range", "marts.risk_register", "blocking",
                    "fail", 2, "2 scores above 25"),
        CheckResult("gx", "recommendation_due_dates_valid", "raw.audit__recommendations",
                    "warning", "fail", 1, "1 due date in 1900"),
        CheckResult("gx", "ledger_amounts_in_range", "raw.finance__ledger", "warning", "fail", 3),
        CheckResult("dbt", "not_null_audit_engagements_audit_id", "marts.audit_engagements",
                    "blocking", "pass"),
    ))
    _, html, doc = _render(audit_marts, verdict, tmp_path)
    assert doc["status"] == "draft"
    assert html.index("DRAFT - data checks failed") < html.index('id="summary"')
    section = _section(html, "risk-audit-checks", "ratings")
    assert "risk_register_scores_in_range" in section and "2 scores above 25" in section
    assert "recommendation_due_dates_valid" in section
    assert "ledger_amounts_in_range" not in section  # finance: only in the data-quality list
    assert "ledger_amounts_in_range" in html[html.index('id="data-quality"'):]
    assert "Does not apply to this pack." in html  # unmapped lines


def test_rerender_is_byte_identical_and_pdf_is_tagged(audit_marts, final_verdict, tmp_path):
    first, _, doc = _render(audit_marts, final_verdict, tmp_path / "a", pdf=True)
    second, _, _ = _render(audit_marts, final_verdict, tmp_path / "b", pdf=True)
    assert sorted(p.name for p in first) == [f"{PACK}.html", f"{PACK}.json", f"{PACK}.pdf"]
    assert all(p.parent == tmp_path / "a" / FY / "Q2" for p in first)
    for a, b in zip(sorted(first), sorted(second), strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two renders"
    raw = next(p for p in first if p.suffix == ".json").read_text(encoding="utf-8")
    assert doc["classification"] == "Restricted" and doc["status"] == "awaiting sign-off"
    assert list(doc) == sorted(doc) and "transform-1" not in raw
    pdf = next(p for p in first if p.suffix == ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        assert re.search(r"^Title:\s+Awaiting sign-off - "
                         r"Audit committee: risk and internal audit, 2025-26, "
                         r"quarter 2", info, re.M), info
        assert re.search(r"^Page size:.*\(A4\)", info, re.M), info


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium not installed")
@pytest.mark.parametrize("verdict_name", ["final_verdict", "failed_verdict"])
def test_no_axe_violations(browser, audit_marts, request, tmp_path, verdict_name):  # noqa: F811
    paths, _, _ = _render(audit_marts, request.getfixturevalue(verdict_name), tmp_path)
    page, results = _axe(browser, next(p for p in paths if p.suffix == ".html"))
    try:
        assert results.violations_count == 0, json.dumps(
            [{"id": v["id"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"][:5]]}
             for v in results.response["violations"]], indent=2)
        page.set_viewport_size({"width": 320, "height": 640})
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{PACK} scrolls sideways at 320px: {width}px wide"
    finally:
        page.close()


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium not installed")
def test_no_axe_violations_when_nothing_is_available(browser, conn, final_verdict,  # noqa: F811
                                                     tmp_path):
    fill_indicators_only(conn)
    paths, _, _ = _render(conn, final_verdict, tmp_path)
    page, results = _axe(browser, next(p for p in paths if p.suffix == ".html"))
    try:
        assert results.violations_count == 0, json.dumps(
            [{"id": v["id"], "help": v["help"]} for v in results.response["violations"]],
            indent=2)
    finally:
        page.close()
