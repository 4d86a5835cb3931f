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
    assert doc["status"] == "final" and doc["classification"] == "Restricted"
    assert "transform-1" not in _read(first, ".json").decode()  # no run id of the transform
    # Decimals as strings, exactly as the mart holds them
    assert doc["figures"]["council"]["variance"] == "24234.56"
    html = _read(first, ".html").decode()
    assert "DRAFT" not in html
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


def test_no_council_row_is_an_error_not_an_empty_pack(marts, final_verdict, tmp_path):
    with pytest.raises(LookupError, match="has the transform run"):
        render_pack(marts, "finance-outturn", FY, "P06", tmp_path, final_verdict, pdf=False)


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


def test_the_council_name_is_resolved_not_the_dbt_expression(monkeypatch):
    from onecouncil.packs.render import thresholds

    monkeypatch.delenv("ONECOUNCIL_COUNCIL_NAME", raising=False)
    assert thresholds()["council_name"] == "Milton Keynes City Council"
    monkeypatch.setenv("ONECOUNCIL_COUNCIL_NAME", "Bedford Borough Council")
    assert thresholds()["council_name"] == "Bedford Borough Council"
