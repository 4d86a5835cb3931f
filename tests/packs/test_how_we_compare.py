"""'How we compare' in the Cabinet and scrutiny packs, from the hand-made benchmark marts of
benchmark_fixtures.py through the report models; figures worked out by hand there."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from benchmark_fixtures import MEASURES_SHA, create_marts, fill_benchmarks
from cabinet_fixtures import cabinet_marts_fixture, rebuild_reports  # noqa: F401
from conftest import FY
from services_fixtures import services_marts_fixture  # noqa: F401
from test_accessibility import CHROMIUM, _axe, browser  # noqa: F401

from onecouncil.packs import render_pack


def _render(conn, pack, verdict, tmp_path, pdf=False):
    paths = render_pack(conn, pack, FY, "Q2", tmp_path, verdict, pdf=pdf)
    html = next(p for p in paths if p.suffix == ".html")
    doc = json.loads(next(p for p in paths if p.suffix == ".json").read_text())
    return paths, html, html.read_text(), doc


def _section(html: str) -> str:
    start = html.index('<section aria-labelledby="compare">')
    return html[start:html.index("</section>\n\n<section", start + 40)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("pack", ["cabinet-quarterly", "scrutiny-quarterly"])
def test_each_declared_benchmark_has_its_entry(request, final_verdict, tmp_path, pack):
    conn = request.getfixturevalue("cabinet_marts" if pack.startswith("cabinet")
                                   else "services_marts")
    fill_benchmarks(conn)
    rebuild_reports(conn)
    _, _, html, doc = _render(conn, pack, final_verdict, tmp_path)
    section = doc["figures"]["how_we_compare"]
    assert section["available"] is True
    [recycling, miles] = section["entries"]  # the undeclared series is left out
    assert (recycling["title"], recycling["period_label"], recycling["position"]) == (
        "Household waste recycled", "2021/22", "3rd of 5, second quartile")
    assert (recycling["council_value"], recycling["comparators_median"],
            recycling["comparators_minimum"], recycling["comparators_maximum"]) == (
        "51.9", "47.95", "36.5", "60.3")
    assert [a["area_name"] for a in recycling["areas"]] == [
        "Stockport", "Bury", "Milton Keynes", "Warrington", "Swindon"]
    assert miles["position"] == "Not ranked: no figure published for the council"

    text = _text(_section(html))
    assert "Household waste recycled, 2021/22" in text
    assert "Comparators' median: 48.0% (range 36.5% to 60.3%)" in text
    assert "Rank: 3rd of 5, second quartile" in text
    assert "Over five periods: Improving since 2017/18" in text
    assert "England: 42.5%" in text
    # the chart has its text alternative and its numbers in a table beside it
    block = _section(html)
    assert block.count('role="img"') == 2 and "Dot plot of Household waste recycled" in block
    assert "Milton Keynes (this council)" in text and "Swindon 36.5% 5" in text
    # the data-quality section names the file, the period used and its age
    dq = _text(html[html.index('id="dq-benchmarks"'):])
    assert "household_waste_recycling.csv" in dq and MEASURES_SHA[:12] in dq
    # both series come from one file: its periods, and the newer one's age (2022: 33 months)
    assert "The newest benchmark figure shown (Miles driven, 2022) is 33 months old" in dq
    assert "household_waste_recycling.csv " + MEASURES_SHA[:12] + " 2021/22, 2022 33" in dq
    assert "cipfa2021.csv" in dq
    assert MEASURES_SHA in {f["sha256"] for f in doc["lineage"]["source_files"]}


def test_a_red_indicator_linked_to_a_benchmark_shows_it_in_its_own_entry(
        cabinet_marts, final_verdict, tmp_path):
    fill_benchmarks(cabinet_marts)
    rebuild_reports(cabinet_marts)
    _, _, html, doc = _render(cabinet_marts, "cabinet-quarterly", final_verdict, tmp_path)
    red = {i["indicator_id"]: i for i in doc["figures"]["red_indicators"]}
    assert red["ADU01"]["benchmarks"] == ["compare-1"]
    assert all(i["benchmarks"] == [] for k, i in red.items() if k != "ADU01")
    entry = html[html.index(f'id="{red["ADU01"]["chart_id"]}-heading"'):]
    entry = _text(entry[:entry.index("</section>")])
    assert ("How we compare (Household waste recycled, 2021/22): Milton Keynes City Council "
            "51.9%, comparators' median 48.0% (range 36.5% to 60.3%); 3rd of 5, second "
            "quartile.") in entry


@pytest.mark.parametrize("pack", ["cabinet-quarterly", "scrutiny-quarterly"])
def test_no_benchmark_data_says_not_yet_available_and_the_pack_renders(
        request, final_verdict, tmp_path, pack):
    conn = request.getfixturevalue("cabinet_marts" if pack.startswith("cabinet")
                                   else "services_marts")
    create_marts(conn)  # a council with no benchmark files yet
    rebuild_reports(conn)
    paths, _, html, doc = _render(conn, pack, final_verdict, tmp_path)
    assert doc["figures"]["how_we_compare"] == {
        "available": False, "entries": [], "files": [],
        "waiting_for": ["benchmark/comparators", "benchmark/measures", "benchmark/indicators"]}
    assert ("Not yet available: waiting for the benchmark/comparators, benchmark/measures "
            "and benchmark/indicators feeds.") in _text(_section(html))
    assert "No benchmark figures were used" in html


@pytest.mark.skipif(not shutil.os.path.exists(CHROMIUM), reason="Chromium not installed")
@pytest.mark.parametrize("pack", ["cabinet-quarterly", "scrutiny-quarterly"])
def test_the_section_has_no_axe_violations_and_the_pdf_stays_tagged(
        browser, request, final_verdict, tmp_path, pack):  # noqa: F811
    conn = request.getfixturevalue("cabinet_marts" if pack.startswith("cabinet")
                                   else "services_marts")
    fill_benchmarks(conn)
    rebuild_reports(conn)
    paths, html_path, _, _ = _render(conn, pack, final_verdict, tmp_path, pdf=True)
    page, results = _axe(browser, html_path)
    try:
        assert results.violations_count == 0, json.dumps(
            [{"id": v["id"], "nodes": [n["html"][:200] for n in v["nodes"][:3]]}
             for v in results.response["violations"]], indent=1)
    finally:
        page.close()
    pdf = next(p for p in paths if p.suffix == ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes", info.stdout, re.M)
