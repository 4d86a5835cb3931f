"""The finance-outturn and transparency-spend packs, rendered from hand-made marts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
import zlib
from decimal import Decimal

import pytest
from leaks import leaks
from conftest import BUDGET_SHA, FY, INDIVIDUAL, LEDGER_SHA, PAYMENTS_SHA

from onecouncil.packs import PACKS, render_pack
from onecouncil.calendar import parse_label
from onecouncil.packs.formatting import percent, pounds, thousands
from onecouncil.packs.output import data_version


def _read(paths, suffix):
    return next(p for p in paths if p.name.endswith(suffix)).read_bytes()


# ---------------------------------------------------------------- formatting

@pytest.mark.parametrize("value, shown", [
    (Decimal("1234500"), "1,234.5"),
    (Decimal("-1234549.99"), "-1,234.5"),
    (Decimal("1250"), "1.3"),  # half up, not to even
    (Decimal("-49"), "0.0"),  # never "-0.0"
    (Decimal("0"), "0.0"),
    (Decimal("999999999.99"), "1,000,000.0"),
    (60000, "60.0"),
    (None, ""),
])
def test_thousands_one_decimal_minus_sign(value, shown):
    assert thousands(value) == shown


def test_pounds_and_percent():
    assert pounds(Decimal("24234.56")) == "24,235"
    assert pounds(Decimal("-600"), 2) == "-600.00"
    assert percent(Decimal("4.3333")) == "4.3%"
    assert percent(None) == "n/a"


@pytest.mark.parametrize("label, folder, month", [
    ("P05", "P05", "August 2025"), ("5", "P05", "August 2025"), (12, "P12", "March 2026"),
    ("p13", "P13", "year-end adjustments"), ("Q2", "Q2", ""), ("year", "year", "")])
def test_period_labels(label, folder, month):
    p = parse_label(FY, label)
    assert p.label == folder and getattr(p, "month_name", "") == month


@pytest.mark.parametrize("fy, label", [("2025-27", "P01"), ("2025", "P01"), (FY, "P14"),
                                       (FY, "Q5"), (FY, "month")])
def test_bad_periods_refused(fy, label):
    with pytest.raises(ValueError):
        parse_label(fy, label)


def test_registry_and_monthly_packs_need_a_month(marts, final_verdict, tmp_path):
    assert {"finance-outturn", "transparency-spend"} <= set(PACKS)
    assert PACKS["finance-outturn"].public is False
    assert PACKS["transparency-spend"].public is True
    with pytest.raises(KeyError):
        render_pack(marts, "no-such-pack", FY, "P05", tmp_path, final_verdict)
    with pytest.raises(ValueError):
        render_pack(marts, "finance-outturn", FY, "Q1", tmp_path, final_verdict)


# ---------------------------------------------------------------- finance-outturn

def test_finance_outturn_files_and_byte_identical_rerender(marts, final_verdict, tmp_path):
    first = render_pack(marts, "finance-outturn", FY, "P05", tmp_path / "a", final_verdict)
    second = render_pack(marts, "finance-outturn", FY, "5", tmp_path / "b", final_verdict)
    names = sorted(p.name for p in first)
    assert names == ["finance-outturn.html", "finance-outturn.json", "finance-outturn.pdf",
                     "finance-outturn.xlsx"]
    assert all(p.parent == tmp_path / "a" / FY / "P05" for p in first)
    for a, b in zip(sorted(first), sorted(second), strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two renders"
    doc = json.loads(_read(first, ".json"))
    assert list(doc) == sorted(doc)
    assert doc["status"] == "awaiting sign-off" and doc["classification"] == "Restricted"
    assert doc["signoff"] == {"approver": "Director of Finance (section 151 officer)",
                              "signed_off_by": None, "signed_off_at": None}
    assert "transform-1" not in _read(first, ".json").decode()  # no run id of the transform
    # Decimals as strings, exactly as the mart holds them
    assert doc["figures"]["council"]["variance"] == "24234.56"
    html = _read(first, ".html").decode()
    assert "DRAFT" not in html
    assert "<title>Awaiting sign-off - Finance outturn" in html
    assert '<dd class="status">Awaiting sign-off</dd>' in html and ">Final<" not in html
    assert not list((tmp_path / "a" / FY / "P05").glob(".*tmp"))


def test_finance_outturn_content(marts, final_verdict, tmp_path):
    paths = render_pack(marts, "finance-outturn", FY, "P05", tmp_path, final_verdict, pdf=False)
    html = _read(paths, ".html").decode()
    assert '<html lang="en-GB">' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main">' in html
    assert "Forecast overspend of £24,235" in html
    # £000, one decimal, minus for negatives, and the note that says so
    assert re.search(r"<th scope=\"row\">Adult Services</th><td class=\"num\">1,800.0</td>", html)
    assert '<td class="num">-50.0</td>' in html
    assert "Negative figures have a minus sign (for example -1,234.5)" in html
    # every table has a caption; header cells are scoped
    assert html.count("<table") == html.count("<caption") > 5
    assert "<th>" not in html
    # RAG always a word
    assert '<span class="rag rag-red">Red</span>' in html
    # Amber and Red services in detail, with commentary (escaped); Green ones not
    services = html[html.index('id="services"'):html.index('id="compliance"')]
    assert "Adult Social Care (Adult Services): Red" in services
    assert "Children&#39;s Social Care (Children&#39;s Services): Amber" in services
    assert "Highways" not in services and "Commissioning" not in services
    assert "prices up 8%" in services
    assert "Two more &lt;placements&gt; &amp; an agency carer." in services
    assert "No commentary given." in services
    # compliance, unmapped, thresholds and the data-quality section last
    assert "4 of 6 active cost centres (66.7%)" in html
    assert "Z999" in html and "cost centre not in reference data" in html
    assert html.index('id="data-quality"') > html.index('id="thresholds"')
    assert "Does not apply: this pack reports no performance indicators." in html
    assert "ledger_amounts_in_range" in html  # the warning is reported
    # chart: an image with a name and description, and the numbers in a table
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="variance-chart-title '
                     r'variance-chart-desc"', html)
    assert "Adult Services: 65.0; Children&#39;s Services: 8.0; Place: -50.0" in html
    assert "Figures behind the chart" in html


def test_finance_outturn_lineage(marts, final_verdict, tmp_path):
    paths = render_pack(marts, "finance-outturn", FY, "P05", tmp_path, final_verdict, pdf=False)
    doc = json.loads(_read(paths, ".json"))
    files = doc["lineage"]["source_files"]
    assert [(f["feed"], f["sha256"], f["run_id"]) for f in files] == [
        ("finance/budget", BUDGET_SHA, "ingest-1"), ("finance/ledger", LEDGER_SHA, "ingest-1")]
    assert doc["data_version"] == hashlib.sha256(
        "".join(h + "\n" for h in sorted([BUDGET_SHA, LEDGER_SHA])).encode()).hexdigest()
    assert doc["data_version"] == data_version(files)
    assert doc["lineage"]["quarantine"] == [
        {"feed": "finance/ledger", "file_name": "ledger_2025-26_p05.csv", "sha256": LEDGER_SHA,
         "reason": "amount is not a number", "rows": 2}]
    assert "marts.finance_outturn_council" in doc["lineage"]["marts"]
    assert doc["lineage"]["thresholds"]["rag_red_above_pct"] in ("2", 2)
    assert doc["checks"]["warnings_failed"] == 1 and doc["checks"]["is_final"] is True
    html = _read(paths, ".html").decode()
    assert LEDGER_SHA[:12] in html and doc["data_version"][:12] in html


def test_failed_blocking_check_makes_a_draft_listed_before_the_figures(
        marts, failed_verdict, tmp_path):
    paths = render_pack(marts, "finance-outturn", FY, "P05", tmp_path, failed_verdict, pdf=False)
    html = _read(paths, ".html").decode()
    banner = html.index("DRAFT - data checks failed")
    failure = html.index("finance_outturn_totals_reconcile")
    assert banner < failure < html.index("Forecast overspend") < html.index("<table")
    assert failure < html.index('id="headline"')
    assert "council total differs from the ledger by £12.00" in html
    assert "<title>DRAFT - " in html
    doc = json.loads(_read(paths, ".json"))
    assert doc["status"] == "draft"
    assert doc["checks"]["blocking_failures"][0]["check_name"] == "finance_outturn_totals_reconcile"


def test_checks_that_never_ran_make_a_draft_too(marts, tmp_path):
    from onecouncil.quality.results import Verdict

    paths = render_pack(marts, "finance-outturn", FY, "P05", tmp_path, Verdict(run_id=None),
                        pdf=False)
    html = _read(paths, ".html").decode()
    assert html.index("DRAFT - data checks have not run") < html.index("<table")


def test_rerender_replaces_the_pack(marts, final_verdict, failed_verdict, tmp_path):
    render_pack(marts, "finance-outturn", FY, "P05", tmp_path, failed_verdict, pdf=False)
    paths = render_pack(marts, "finance-outturn", FY, "P05", tmp_path, final_verdict, pdf=False)
    assert "DRAFT" not in _read(paths, ".html").decode()
    assert sorted(p.name for p in (tmp_path / FY / "P05").iterdir()) == [
        "finance-outturn.html", "finance-outturn.json", "finance-outturn.xlsx"]


def test_a_month_with_no_outturn_yet_renders_saying_so(marts, final_verdict, tmp_path):
    # The marts hold P05 only: P06 is not an error, each part says what it waits for.
    from openpyxl import load_workbook

    paths = render_pack(marts, "finance-outturn", FY, "P06", tmp_path, final_verdict, pdf=False)
    doc = json.loads(_read(paths, ".json"))
    figures = doc["figures"]
    assert figures["council"] == {"available": False, "waiting_for": [
        "finance/ledger", "finance/budget", "finance/forecast"]}
    assert figures["compliance_total"] == {"available": False, "waiting_for": [
        "finance/forecast", "reference/cost_centres"]}
    assert figures["directorates"] == figures["services"] == figures["compliance"] == []
    assert figures["amber_red_services"] == [] and figures["unmapped_lines"] == []
    html = _read(paths, ".html").decode()
    waiting = ("Not yet available: waiting for the finance/ledger, finance/budget and "
               "finance/forecast feeds.")
    for section, following in (("headline", "directorates"), ("directorates", "movement"),
                               ("movement", "services"), ("services", "compliance"),
                               ("unmapped", "thresholds")):
        part = html[html.index(f'id="{section}"'):html.index(f'id="{following}"')]
        assert waiting in part, section
    compliance = html[html.index('id="compliance"'):html.index('id="unmapped"')]
    assert ("Not yet available: waiting for the finance/forecast and reference/cost_centres "
            "feeds.") in compliance
    assert "Forecast overspend" not in html
    _assert_no_code_shows_through(html)
    wb = load_workbook(io.BytesIO(_read(paths, ".xlsx")))
    assert wb["Council"].max_row == 1  # the headings, no empty row


def test_finance_outturn_xlsx(marts, final_verdict, tmp_path):
    from openpyxl import load_workbook

    paths = render_pack(marts, "finance-outturn", FY, "P05", tmp_path, final_verdict, pdf=False)
    data = _read(paths, ".xlsx")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Council", "Directorates", "Services", "Cost centres", "Notes"]
    cc = wb["Cost centres"]
    assert cc.freeze_panes == "A2"
    header = [c.value for c in cc[1]]
    assert header[:3] == ["Directorate", "Service", "Cost centre"]
    assert "Commentary" in header
    budget_col = header.index("Current budget (£)") + 1
    assert cc.cell(row=2, column=budget_col).value == Decimal("1000000") or \
        cc.cell(row=2, column=budget_col).value == 1000000
    assert cc.cell(row=2, column=budget_col).number_format == "#,##0.00;-#,##0.00"
    assert cc.column_dimensions["A"].width >= 12
    assert cc.max_row == 1 + 7
    notes = "\n".join(str(c.value) for c in wb["Notes"]["B"] if c.value)
    assert "0.5%" in notes and LEDGER_SHA in notes
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
        assert "2025-08-31T00:00:00Z" in core
        assert {i.date_time for i in z.infolist()} == {(2025, 8, 31, 0, 0, 0)}


def test_pdf_is_tagged_with_language_and_title(marts, failed_verdict, tmp_path):
    paths = render_pack(marts, "transparency-spend", FY, "P05", tmp_path, failed_verdict)
    pdf = next(p for p in paths if p.suffix == ".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        assert re.search(r"^Title:\s+DRAFT - Council spending over £500", info, re.M), info
        assert re.search(r"^Page size:.*\(A4\)", info, re.M), info
    objects = _pdf_objects(data)
    # the catalogue itself: tagged (MarkInfo, structure tree) and in British English
    assert b"/StructTreeRoot" in objects and re.search(rb"/Marked\s*true", objects)
    assert re.search(rb"/Lang\s*\(en-GB\)", objects)


def _pdf_objects(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated: WeasyPrint packs the catalogue
    into a compressed object stream, where a plain byte search cannot see it."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[m.end():]))
        except zlib.error:
            continue
    return b"\n".join(parts)


# ---------------------------------------------------------------- transparency-spend

def test_transparency_csv_is_lga_format(marts, final_verdict, tmp_path):
    paths = render_pack(marts, "transparency-spend", FY, "P05", tmp_path, final_verdict,
                        pdf=False)
    raw = _read(paths, ".csv")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == ["Body Name", "Date", "Transaction Number", "Supplier Name", "Amount",
                       "Service Area (department)", "Expenditure Category",
                       "Capital or Revenue"]
    assert rows[1] == ["Milton Keynes City Council", "04/08/2025", "T1001", "Acme Care Ltd",
                       "12000.00", "Adult Services", "Residential care", "Revenue"]
    assert rows[-1][3] == 'Stationers, "Quill" & Co' and rows[-1][4] == "-600.00"
    assert len(rows) == 1 + 7
    doc = json.loads(_read(paths, ".json"))
    assert doc["figures"]["csv"]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert "_csv" not in doc["figures"]
    assert [f["sha256"] for f in doc["lineage"]["source_files"]] == [PAYMENTS_SHA]


def test_transparency_page_never_names_individuals(marts, final_verdict, tmp_path):
    paths = render_pack(marts, "transparency-spend", FY, "P05", tmp_path, final_verdict)
    for p in paths:
        assert INDIVIDUAL.encode() not in p.read_bytes(), p.name
    if shutil.which("pdftotext"):
        pdf = next(p for p in paths if p.suffix == ".pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert INDIVIDUAL not in text and "Acme Care Ltd" in text
    html = _read(paths, ".html").decode()
    suppliers = html[html.index('id="suppliers"'):html.index('id="areas"')]
    assert "Redacted personal data" not in suppliers
    assert suppliers.index("Roadworks plc") < suppliers.index("Acme Care Ltd")
    assert "Stationers" not in suppliers  # a net refund is not a top supplier
    assert "7 payments, £42,100.50 in total" in html
    assert 'href="transparency-spend.csv"' in html


def test_transparency_counts_of_individuals_are_suppressed(marts, final_verdict, tmp_path):
    paths = render_pack(marts, "transparency-spend", FY, "P05", tmp_path, final_verdict,
                        pdf=False)
    doc = json.loads(_read(paths, ".json"))
    areas = {a["service_area"]: a for a in doc["figures"]["by_service_area"]}
    # 1 payment to an individual in Adult Services, 2 in Children's: both hidden, and a
    # second cell of each row, so totals can't give them away
    assert areas["Adult Services"]["individuals"] == "<5"
    assert areas["Children's Services"]["individuals"] == "<5"
    assert "<5" in (areas["Adult Services"]["organisations"], areas["Adult Services"]["payments"])
    assert doc["figures"]["by_service_area_total"]["individuals"] == "<5"
    html = _read(paths, ".html").decode()
    assert "&lt;5" in html and "Does not apply to this pack." in html


def test_the_council_name_is_resolved_not_the_dbt_expression(marts, final_verdict, tmp_path):
    from onecouncil.packs.thresholds import thresholds

    name = thresholds(marts)["council_name"]
    assert name == "Milton Keynes City Council" and "{{" not in name
    for pack in ("finance-outturn", "transparency-spend"):
        paths = render_pack(marts, pack, FY, "P05", tmp_path, final_verdict, pdf=False)
        assert json.loads(_read(paths, ".json"))["lineage"]["thresholds"]["council_name"] == name


# ---------------------------------------------------------------- report rows (dbt/models/reports)

def _rows(conn, sql):
    from onecouncil.packs.rows import fetch

    return fetch(conn, sql, {"fy": FY})


def test_finance_report_rows_built_from_the_marts(marts, final_verdict, tmp_path):
    # conftest: ADU 3 active (2 on time, 1 late), CHI 2 (1, 0, 1 missing), PLA 1 (1)
    assert _rows(marts, "select * from reports.rpt_finance__compliance_council "
                        "where fiscal_year = %(fy)s") == [
        {"fiscal_year": FY, "period": 5, "active_cost_centres": 6, "submitted_on_time": 4,
         "submitted_late": 1, "not_submitted": 1, "compliance_pct": Decimal("66.7")}]
    assert [(r["directorate_code"], r["sort_order"]) for r in _rows(
        marts, "select * from reports.rpt_finance__compliance_directorate "
               "where fiscal_year = %(fy)s order by sort_order")] == [
        ("ADU", 1), ("CHI", 2), ("PLA", 3)]
    # ASC is Red and CSC Amber; the Green services (and Unmapped) are not listed
    assert [(r["service_code"], r["rag"], r["sort_order"]) for r in _rows(
        marts, "select * from reports.rpt_finance__amber_red_services "
               "where fiscal_year = %(fy)s order by sort_order")] == [
        ("ASC", "Red", 1), ("CSC", "Amber", 2)]
    # the pack shows exactly these rows
    paths = render_pack(marts, "finance-outturn", FY, "P05", tmp_path, final_verdict, pdf=False)
    figures = json.loads(_read(paths, ".json"))["figures"]
    assert figures["amber_red_services"] == ["ASC", "CSC"]
    assert figures["compliance_total"] == {"active_cost_centres": 6, "submitted_on_time": 4,
                                           "submitted_late": 1, "not_submitted": 1,
                                           "compliance_pct": "66.7"}
    assert [d["directorate_code"] for d in figures["compliance"]] == ["ADU", "CHI", "PLA"]


def test_report_lineage_rows_name_the_files_of_the_period(marts):
    from onecouncil.packs.rows import fetch

    files = fetch(marts, "select s.pack, s.period, f.sha256 from reports.pack_sources s "
                         "join ops.files f using (file_id) where s.fiscal_year = %(fy)s "
                         "and s.pack in ('finance-outturn', 'transparency-spend') "
                         "order by 1, 2, 3", {"fy": FY})
    # the other year's ledger file is no source; payments are not a finance-outturn source
    assert [(f["pack"], f["period"], f["sha256"]) for f in files] == sorted([
        ("finance-outturn", "P05", BUDGET_SHA), ("finance-outturn", "P05", LEDGER_SHA),
        ("transparency-spend", "P05", PAYMENTS_SHA)])


def test_transparency_report_rows_built_from_the_mart(marts):
    top = _rows(marts, "select supplier_rank, supplier_name, payments, amount "
                       "from reports.rpt_transparency__top_suppliers where fiscal_year = %(fy)s "
                       "order by supplier_rank")
    # Roadworks £25,000; Acme £12,000 + £3,500.50; Stationers' net refund is not ranked,
    # the individuals never are
    assert top == [
        {"supplier_rank": 1, "supplier_name": "Roadworks plc", "payments": 1,
         "amount": Decimal("25000.00")},
        {"supplier_rank": 2, "supplier_name": "Acme Care Ltd", "payments": 2,
         "amount": Decimal("15500.50")}]
    areas = _rows(marts, "select service_area, is_total, organisations, individuals, payments, "
                         "amount from reports.rpt_transparency__by_service_area "
                         "where fiscal_year = %(fy)s order by sort_order")
    assert [(a["service_area"], a["is_total"], a["organisations"], a["individuals"],
             a["payments"], a["amount"]) for a in areas] == [
        ("Adult Services", False, 2, 1, 3, Decimal("16400.50")),
        ("Children's Services", False, 0, 2, 2, Decimal("1300.00")),
        ("Place", False, 2, 0, 2, Decimal("24400.00")),
        ("All service areas", True, 4, 3, 7, Decimal("42100.50"))]


def test_transparency_month_with_no_payments_yet_renders_saying_so(marts, final_verdict,
                                                                   tmp_path):
    paths = render_pack(marts, "transparency-spend", FY, "P06", tmp_path, final_verdict,
                        pdf=False)
    figures = json.loads(_read(paths, ".json"))["figures"]
    assert figures["available"] is False and figures["waiting_for"] == ["finance/payments"]
    assert figures["by_service_area"] == [] and figures["top_suppliers"] == []
    assert figures["csv"]["rows"] == 0
    html = _read(paths, ".html").decode()
    waiting = "Not yet available: waiting for the finance/payments feed."
    for section, following in (("summary", "suppliers"), ("suppliers", "areas"),
                               ("areas", "download"), ("download", "data-quality")):
        assert waiting in html[html.index(f'id="{section}"'):html.index(f'id="{following}"')]
    assert "0 payments" not in html
    _assert_no_code_shows_through(html)


def _assert_no_code_shows_through(html: str) -> None:
    """Nothing of Python shows where a reader expects words (tags and the CSS left out)."""
    assert leaks(html) == []
    assert "None" not in re.findall(r'="([^"]*)"', html)


@pytest.mark.parametrize("pack", ["finance-outturn", "transparency-spend"])
def test_no_code_shows_through_in_the_packs(marts, final_verdict, tmp_path, pack):
    paths = render_pack(marts, pack, FY, "P05", tmp_path, final_verdict, pdf=False)
    _assert_no_code_shows_through(_read(paths, ".html").decode())
    for p in paths:
        if p.suffix == ".csv":
            assert leaks(p.read_text(encoding="utf-8"), html=False) == []
