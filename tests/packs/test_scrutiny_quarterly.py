"""The scrutiny committee's quarterly pack: figures worked out by hand in services_fixtures.

The pack reads the report models (reports.rpt_scrutiny__*), built by report_models over
the hand-made marts; the tests check those rows, the pack made from them, and that a
section with no rows says it is not yet available.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time

import pytest
from cabinet_fixtures import SECRET_NAME
from leaks import leaks
from conftest import FY
from services_fixtures import (  # noqa: F401  (fixtures are found by name)
    CONSULT_SHA,
    DATED_SHAS,
    PROJECT_SHAS,
    drop_services,
    rebuild_reports,
    services_marts_fixture,
)

from onecouncil.packs import PACKS, disclosure, render_pack
from onecouncil.packs.indicators import NO_TARGET
from onecouncil.packs.rows import fetch

PACK = "scrutiny-quarterly"
LABELS = {"monthly": "P05", "quarterly": "Q2", "annual": "year"}


def _read(paths, suffix):
    return next(p for p in paths if p.name.endswith(suffix)).read_bytes()


def _render(conn, verdict, tmp_path, quarter="Q2", pdf=False):
    paths = render_pack(conn, PACK, FY, quarter, tmp_path, verdict, pdf=pdf)
    return paths, _read(paths, ".html").decode(), json.loads(_read(paths, ".json"))


def _row(html, header):
    m = re.search(rf"<tr><th scope=\"row\">{re.escape(header)}</th>(.*?)</tr>", html, re.S)
    assert m, f"no row {header!r}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                  m.group(1), re.S)]


def test_registered_public_and_quarterly():
    spec = PACKS[PACK]
    assert spec.public and spec.cadence == "quarterly"


def test_projects_at_latest_snapshot_on_or_before_quarter_end(services_marts, final_verdict,
                                                              tmp_path):
    _, html, doc = _render(services_marts, final_verdict, tmp_path)
    p = doc["figures"]["projects"]
    assert p["as_at_date"] == "2025-09-15"
    # worst RAG first; the October snapshot never appears
    assert [(r["project_id"], r["overall_rag"], r["slippage_days"], r["cost_variance"])
            for r in p["rows"]] == [("P1", "Red", 91, "1500000"),
                                    ("P3", "Amber/Green", 14, "50000"),
                                    ("P2", "Green", 0, "-20000")]
    assert _row(html, "New leisure centre") == [
        "Place", "Yes", "Red", "10,000,000", "11,500,000", "1,500,000", "15.0%", "30/06/2026",
        "91"]
    assert "1 Red, 0 Amber/Red, 1 Amber/Green, 1 Green." in html
    assert p["by_rag"] == {"Red": 1, "Amber/Red": 0, "Amber/Green": 1, "Green": 1}


def test_full_public_indicator_table(services_marts, final_verdict, tmp_path):
    _, html, doc = _render(services_marts, final_verdict, tmp_path)
    rows = {r["indicator_id"]: r for r in doc["figures"]["indicators"]["rows"]}
    assert sorted(rows) == ["ADU01", "ADU02", "CHI01", "CHI02", "PLA01", "PLA02", "PLA03"]
    assert (rows["ADU01"]["value"], rows["ADU01"]["target"], rows["ADU01"]["rag"]) == \
        ("75.0%", "85.0%", "Red")
    # counts of people: ADU02 [2, 3] and CHI01 [8, 3] in 2025-26, as the Cabinet pack hides
    assert rows["ADU02"]["value"] == rows["CHI01"]["value"] == "<5"
    assert _row(html, "Household waste recycled (%)")[2] == "48.5% (provisional)"
    assert _row(html, "Potholes repaired within 28 days (%)")[2:4] == ["Not returned", "90.0%"]
    assert _row(html, "Planning applications decided in time (%)")[-1] == "Worsening"
    assert SECRET_NAME not in html
    assert doc["figures"]["indicators"]["not_returned"][0]["indicator_id"] == "PLA02"
    # a data-only indicator has no target: the pack says so in words (the JSON keeps '')
    assert rows["ADU02"]["target"] == ""
    assert _row(html, "Safeguarding enquiries opened")[3] == NO_TARGET


def test_customer_contact_chart_and_numbers(services_marts, final_verdict, tmp_path):
    _, html, doc = _render(services_marts, final_verdict, tmp_path)
    c = doc["figures"]["contact"]
    assert c["channels"] == ["phone", "online form", "email"]
    assert [m["period"] for m in c["months"]] == [1, 2, 3, 4, 5, 6]  # not October
    assert c["year_to_date"] == [{"channel": "phone", "contacts": 2950},
                                 {"channel": "online form", "contacts": 2400},
                                 {"channel": "email", "contacts": 650}]
    assert c["year_to_date_total"] == 6000
    assert '<svg' in html and "Figures behind the chart: Contacts by channel" in html
    assert _row(html, "Phone") == ["2,950"]
    assert _row(html, "September 2025") == ["500", "500", "0", "1,000", "90.0%", "50.0%",
                                            "94.7%"]


def test_consultations_in_or_overlapping_the_quarter(services_marts, final_verdict, tmp_path):
    _, html, doc = _render(services_marts, final_verdict, tmp_path)
    rows = doc["figures"]["consultations"]["rows"]
    assert [r["consultation_id"] for r in rows] == ["C1", "C2", "C3", "C4"]
    assert "2 long enough, 1 too short, 1 statutory" in html
    assert _row(html, "Parking charges") == ["20/07/2025", "14/09/2025", "57", "56",
                                             "Long enough", "No, told 21/07/2025"]
    assert _row(html, "Bus lane on the high street")[-2:] == ["Too short", "Not told"]
    assert _row(html, "Local plan review")[-3:] == ["", "Statutory", "Yes"]


def test_training_small_counts_suppressed_with_secondary(services_marts, final_verdict,
                                                         tmp_path):
    _, html, doc = _render(services_marts, final_verdict, tmp_path)
    t = doc["figures"]["training"]
    assert t["as_at_date"] == "2025-09-30"
    cells = [(r["directorate_name"], r["course"], r["completed_on_time"],
              r["not_completed_on_time"], r["due"], r["completion_rate"]) for r in t["rows"]]
    assert cells == [
        ("Adult Services", "cyber security", "40", "10", "50", "80.0%"),
        # 3 is <5, and its row's 17 (due 20 - 3) with it, else 20 - 17 gives 3 away
        ("Adult Services", "data protection", "<5", "<5", "20", "<5"),
        ("Children's Services", "cyber security", "30", "10", "40", "75.0%"),
        # the column total (98) would give 3 away from the others: 25 and 5 hidden too
        ("Children's Services", "data protection", "<5", "<5", "30", "<5"),
    ]
    assert (t["total"]["completed_on_time"], t["total"]["due"],
            t["total"]["completion_rate"]) == ("98", "140", "70.0%")
    assert '"3"' not in json.dumps(t) and "17" not in json.dumps(t)
    table = html[html.index('id="training-table"'):html.index("</table>",
                                                              html.index('id="training-table"'))]
    assert ">3<" not in table and ">17<" not in table and table.count("&lt;5") == 6


def _lines_safe(rows: list[list[str]]) -> None:
    """No shown count of 1-4, and no line with exactly one hidden cell (found by subtraction)."""
    for row in rows:
        for cell in row:
            if cell != disclosure.SUPPRESSED and cell:
                assert not 1 <= int(cell.replace(",", "")) <= 4, rows
    for line in [*rows, *zip(*rows, strict=True)]:
        assert sum(c == disclosure.SUPPRESSED for c in line) != 1, rows


def test_no_public_pack_shows_a_small_count_of_people(services_marts, final_verdict,
                                                      tmp_path):
    rendered = 0
    for name, spec in sorted(PACKS.items()):
        if not spec.public:
            continue
        paths = render_pack(services_marts, name, FY, LABELS[spec.cadence], tmp_path,
                            final_verdict, pdf=False)
        rendered += 1
        doc = json.loads(_read(paths, ".json"))
        html = _read(paths, ".html").decode()

        def walk(node, doc_name=name):
            if isinstance(node, dict):
                if node.get("unit") == "number" and isinstance(node.get("value"), str):
                    assert node["value"] == "<5" or not re.fullmatch(r"[1-4]", node["value"]), \
                        (doc_name, node)
                if "rows" in node and "total" in node and isinstance(node["total"], dict) \
                        and "due" in node["total"]:
                    _lines_safe([[r["completed_on_time"], r["not_completed_on_time"], r["due"]]
                                 for r in [*node["rows"], node["total"]]])
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(doc["figures"])
        if 'id="training-table"' in html:
            start = html.index('id="training-table"')
            table = html[start:html.index("</table>", start)]
            rows = [[re.sub(r"<[^>]+>", "", c).strip().replace("&lt;", "<")
                     for c in re.findall(r"<td class=\"num\">(.*?)</td>", tr, re.S)][:3]
                    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
            _lines_safe(rows)
    assert rendered >= 3


def test_missing_marts_say_not_yet_available(services_marts, final_verdict, tmp_path):
    drop_services(services_marts)
    services_marts.execute("drop table marts.indicator_results")
    rebuild_reports(services_marts)  # the report layer stands in empty marts
    _, html, doc = _render(services_marts, final_verdict, tmp_path)
    waits = {"Project": "finance/capital feed",
             "Indicator": "performance/indicators and performance/indicator_values feeds",
             "Customer contact": "customer/contacts feed",
             "Consultation": "engagement/consultations feed",
             "Training": "workforce/training feed"}
    for what, feed in waits.items():
        assert f"{what} data is not yet available for this quarter: waiting for the {feed}." \
            in html
    f = doc["figures"]
    assert {k: (f[k]["available"], f[k]["waiting_for"]) for k in
            ("projects", "indicators", "contact", "consultations", "training")} == {
        "projects": (False, ["finance/capital"]),
        "indicators": (False, ["performance/indicators", "performance/indicator_values"]),
        "contact": (False, ["customer/contacts"]),
        "consultations": (False, ["engagement/consultations"]),
        "training": (False, ["workforce/training"])}
    assert doc["lineage"]["marts"] == []
    assert leaks(html) == []


def test_later_quarter_with_no_rows_is_not_yet_available(services_marts, final_verdict,
                                                         tmp_path):
    # Q1 ends 30/06/2025: no project snapshot yet; training reads its own June snapshot
    _, html, doc = _render(services_marts, final_verdict, tmp_path, quarter="Q1")
    assert "Project data is not yet available for this quarter: waiting for the " \
           "finance/capital feed." in html
    assert doc["figures"]["projects"]["waiting_for"] == ["finance/capital"]
    assert doc["figures"]["training"]["as_at_date"] == "2025-06-30"
    assert doc["figures"]["training"]["rows"][0]["completed_on_time"] == "<5"


def test_lineage_and_byte_identical_rerender(services_marts, final_verdict, tmp_path):
    start = time.perf_counter()
    first = render_pack(services_marts, PACK, FY, "Q2", tmp_path / "a", final_verdict)
    elapsed = time.perf_counter() - start
    second = render_pack(services_marts, PACK, FY, "q2", tmp_path / "b", final_verdict)
    assert sorted(p.name for p in first) == [f"{PACK}.html", f"{PACK}.json", f"{PACK}.pdf"]
    assert all(p.parent == tmp_path / "a" / FY / "Q2" for p in first)
    assert _read(first, ".json") == _read(second, ".json")
    assert _read(first, ".html") == _read(second, ".html")
    doc = json.loads(_read(first, ".json"))
    shas = {f["sha256"] for f in doc["lineage"]["source_files"]}
    assert {PROJECT_SHAS["2025-09-15"], CONSULT_SHA} <= shas
    assert PROJECT_SHAS["2025-10-15"] not in shas
    assert doc["lineage"]["marts"] == [
        "marts.project_status", "marts.indicator_results", "marts.contact_monthly",
        "marts.consultation_compliance", "marts.training_compliance"]
    pdf = next(p for p in first if p.suffix == ".pdf")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        assert re.search(r"^Title:\s+Awaiting sign-off - "
                         r"Scrutiny committee quarterly report, 2025-26, quarter 2",
                         info, re.M), info
    assert elapsed < 20, f"render took {elapsed:.1f}s"


def test_draft_when_blocking_checks_fail(services_marts, failed_verdict, tmp_path):
    _, html, doc = _render(services_marts, failed_verdict, tmp_path)
    assert doc["status"] == "draft"
    assert html.index("DRAFT - data checks failed") < html.index('id="projects"')


@pytest.mark.parametrize("quarter", ["Q3", "Q4"])
def test_other_quarters_render(services_marts, final_verdict, tmp_path, quarter):
    _, html, _ = _render(services_marts, final_verdict, tmp_path, quarter=quarter)
    assert "Data quality" in html


def test_report_rows(services_marts):
    """The report rows the pack reads, worked out by hand in services_fixtures."""
    def rows(sql):
        return fetch(services_marts, sql, {"fy": FY})

    key = "where fiscal_year = %(fy)s and quarter = 2 order by sort_order"
    assert [(r["project_id"], r["directorate_name"], r["sort_order"]) for r in rows(
        f"select project_id, directorate_name, sort_order from reports.rpt_scrutiny__projects "
        f"{key}")] == [("P1", "Place", 1), ("P3", "Children's Services", 2),
                       ("P2", "Adult Services", 3)]
    assert [(r["channel"], r["contacts"]) for r in rows(
        f"select channel, contacts from reports.rpt_scrutiny__contact_year_to_date {key}")] == [
        ("phone", 2950), ("online form", 2400), ("email", 650), ("all", 6000)]
    assert [(r["status"], r["consultations"]) for r in rows(
        "select status, consultations from reports.rpt_scrutiny__consultations_by_status "
        f"{key}")] == [("compliant", 2), ("too short", 1), ("statutory", 1)]
    # the training table before disclosure control: (on time, not on time, due, rate)
    assert [(r["course"], r["completed_on_time"], r["not_completed_on_time"], r["due"],
             str(r["completion_rate"])) for r in rows(
        "select course, completed_on_time, not_completed_on_time, due, completion_rate "
        f"from reports.rpt_scrutiny__training {key}")] == [
        ("cyber security", 40, 10, 50, "80.0"), ("data protection", 3, 17, 20, "15.0"),
        ("cyber security", 30, 10, 40, "75.0"), ("data protection", 25, 5, 30, "83.3")]
    total = rows("select completed_on_time, not_completed_on_time, due, completion_rate "
                 "from reports.rpt_scrutiny__training_council "
                 "where fiscal_year = %(fy)s and quarter = 2")
    assert [tuple(map(str, t.values())) for t in total] == [("98", "42", "140", "70.0")]
    # CHI01's year so far, the values disclosure control reads: 8 then 3
    assert [str(r["value"]) for r in rows(
        "select value from reports.rpt_scrutiny__indicator_year_values where fiscal_year = "
        "%(fy)s and quarter = 2 and indicator_id = 'CHI01' order by period_end")] == ["8", "3"]


def test_lineage_finds_contact_and_training_files_by_date(services_marts, final_verdict,
                                                          tmp_path):
    def shas(quarter):
        doc = _render(services_marts, final_verdict, tmp_path / quarter, quarter)[2]
        return {f["sha256"] for f in doc["lineage"]["source_files"]}

    q2, q3 = shas("Q2"), shas("Q3")
    named = {n: DATED_SHAS[n] for n in DATED_SHAS}
    # Q2: the contact at 10:00 UTC on 30/09, the June and September training snapshots
    assert {named["contacts_a"], named["training_0630"], named["training_0930"]} <= q2
    # 23:30 UTC on 30/09 is 1 October in London; a replaced row is not current
    assert not {named["contacts_b"], named["contacts_c"], named["training_1031"]} & q2
    assert {named["contacts_a"], named["contacts_b"], named["training_1031"]} <= q3
    assert named["contacts_c"] not in q3


@pytest.mark.parametrize("quarter", ["Q1", "Q2", "Q3", "Q4"])
def test_no_code_words_in_the_text(services_marts, final_verdict, tmp_path, quarter):
    """No None, nan, True or False where a reader expects words, in any quarter."""
    _, html, _ = _render(services_marts, final_verdict, tmp_path, quarter=quarter)
    assert leaks(html) == []
