"""onecouncil.ingest.reader: file format, text decoding, CSV records, headers and XLSX sheets.

Pure tests: no database.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from onecouncil.feeds import feed_by_folder
from onecouncil.ingest.reader import (
    FileRefused,
    csv_rows,
    decode_text,
    detect_format,
    find_header,
    is_blank,
    is_trailer,
    xlsx_rows,
)

LEDGER = feed_by_folder("finance/ledger")
RISK = feed_by_folder("risk/register")

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

# -- detect_format --------------------------------------------------------------------


@pytest.mark.parametrize("data, name, expected", [
    (b"a,b\n1,2\n", "ledger.csv", "csv"),
    (b"a,b\n1,2\n", "LEDGER.CSV", "csv"),
    (b"PK\x03\x04rest of a zip", "ledger.xlsx", "xlsx"),
    (b"PK\x03\x04rest of a zip", "export.csv", "xlsx"),  # the bytes say what it is
])
def test_detect_format(data, name, expected):
    assert detect_format(data, name) == expected


@pytest.mark.parametrize("data, name, reason", [
    (b"a,b\n1,\x002\n", "ledger.csv", "binary"),  # NUL bytes in a .csv
    (PNG, "ledger.csv", "binary"),
    (PNG, "chart.png", "binary"),
    (b"a,b\n1,2\n", "ledger.txt", r"only \.csv and \.xlsx"),
    (b"a,b\n1,2\n", "ledger", r"only \.csv and \.xlsx"),
    (b"a,b\n1,2\n", "ledger.xlsx", "not an XLSX workbook"),
])
def test_detect_format_refuses(data, name, reason):
    with pytest.raises(FileRefused, match=reason) as e:
        detect_format(data, name)
    assert str(e.value).startswith("unreadable")


# -- decode_text ----------------------------------------------------------------------


def test_utf8_bom_is_stripped():
    text, encoding = decode_text(b"\xef\xbb\xbftransaction_id,amount\r\nT1,\xc2\xa312.00\r\n")
    assert encoding == "utf-8"
    assert text.startswith("transaction_id")
    assert "£12.00" in text


def test_utf8_without_bom():
    assert decode_text("Café,£5".encode()) == ("Café,£5", "utf-8")


def test_windows_1252_pound():
    text, encoding = decode_text(b"amount\r\n\xa31,234.56\r\n")  # 0xA3 is the pound sign
    assert encoding == "windows-1252"
    assert text == "amount\r\n£1,234.56\r\n"


def test_windows_1252_curly_quotes_and_accents():
    text, encoding = decode_text(b"\x93Caf\xe9\x94 \x96 \x80 5")
    assert (text, encoding) == ("\u201cCafé\u201d \u2013 € 5", "windows-1252")


def test_bytes_invalid_in_both_encodings_are_refused():
    with pytest.raises(FileRefused, match=r"neither UTF-8 nor Windows-1252.*0x81 at offset 4"):
        decode_text(b"a,b\n\x81\x8d\n")


# -- csv_rows -------------------------------------------------------------------------


def test_line_numbers_are_the_physical_line_a_record_starts_on():
    text = (
        "transaction_id,amount,description\n"  # 1
        'T1,"1,234.00","Chairs, tables\n'  # 2
        'and desks"\n'  # 3
        "T2,5.00,Pens\n"  # 4
        "\n"  # 5 (blank)
        'T3,6.00,"three\n'  # 6
        "line\n"  # 7
        'note"\n'  # 8
        "T4,7.00,Paper\n"  # 9
    )
    rows = list(csv_rows(text))
    assert [(n, r[0] if r else None) for n, r in rows] == [
        (1, "transaction_id"), (2, "T1"), (4, "T2"), (5, None), (6, "T3"), (9, "T4")]
    assert rows[1][1] == ["T1", "1,234.00", "Chairs, tables\nand desks"]
    assert rows[4][1][2] == "three\nline\nnote"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_crlf_and_lf(newline):
    text = newline.join(["a,b", "1,2", '"x, y","z' + newline + 'w"', "3,4"]) + newline
    rows = list(csv_rows(text))
    assert [n for n, _ in rows] == [1, 2, 3, 5]
    assert rows[1][1] == ["1", "2"]  # no stray \r left on the last field
    assert rows[2][1] == ["x, y", "z" + newline + "w"]
    assert rows[3][1] == ["3", "4"]


def test_unterminated_quote_is_refused_with_a_line():
    with pytest.raises(FileRefused, match="CSV broken at line"):
        list(csv_rows('a,b\n1,"never closed\n2,3\n'))


# -- find_header ----------------------------------------------------------------------


def rows_of(*lines: list[object]):
    return iter(enumerate(lines, start=1))


def test_header_below_title_rows_with_synonyms_case_and_underscores():
    header = find_header(LEDGER, rows_of(
        ["Milton Keynes City Council"],
        ["General ledger export, period 1 2025-26", "", ""],
        [],
        ["Trans No", " POSTING_DATE ", "Fiscal Year", "PERIOD", "cost centre", "Account_Code",
         "Net Amount", "Narrative"],
        ["T1", "30/04/2025", "2025-26", "1", "CC100", "A100", "1.00", "x"],
    ))
    assert header.line_number == 4
    assert header.positions == {
        "transaction_id": 0, "posting_date": 1, "fiscal_year": 2, "period": 3,
        "cost_centre": 4, "account_code": 5, "amount": 6}
    assert header.extras == {7: "Narrative"}  # extra columns are kept


@pytest.mark.parametrize("name", ["Journal Line", "journal_line", "TRANSACTION ID"])
def test_header_synonyms_of_transaction_id(name):
    header = find_header(LEDGER, rows_of(
        [name, "posting_date", "fiscal_year", "period", "cost_centre", "account_code", "Value"]))
    assert header.positions["transaction_id"] == 0
    assert header.positions["amount"] == 6


def test_missing_required_column_is_named():
    with pytest.raises(FileRefused, match=r"no header row.*missing: account_code\b"):
        find_header(LEDGER, rows_of(
            ["Ledger export"],
            ["transaction_id", "posting_date", "fiscal_year", "period", "cost_centre", "amount"],
            ["T1", "30/04/2025", "2025-26", "1", "CC100", "1.00"],
        ))


def test_empty_file_is_refused():
    with pytest.raises(FileRefused, match="zero data rows"):
        find_header(LEDGER, rows_of([], [""], ["  "]))


# -- trailer and blank rows -----------------------------------------------------------


@pytest.mark.parametrize("cells, expected", [
    (["TOTAL", "", "", "1.00"], True),
    (["total", "", "", "1.00"], True),
    ([" Total ", None], True),
    (["", "TOTAL"], True),  # the first non-empty field
    (["Totals"], False),
    (["T1", "TOTAL"], False),
    ([None, ""], False),
    ([42, "TOTAL"], False),
])
def test_is_trailer(cells, expected):
    assert is_trailer(cells) is expected


@pytest.mark.parametrize("cells, expected", [
    ([], True), (["", "  ", None], True), (["", "x"], False), ([0], False)])
def test_is_blank(cells, expected):
    assert is_blank(cells) is expected


# -- XLSX -----------------------------------------------------------------------------


def _with_cached_value(data: bytes, sheet_title: str, cell: str, cached: str) -> bytes:
    """Give a formula cell a cached value, as Excel would have saved it (openpyxl doesn't)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet[^>]*name="{sheet_title}"[^>]*r:id="(rId\d+)"', workbook).group(1)
        target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) \
            or re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
        sheet_path = "xl/" + target.group(1).lstrip("/").removeprefix("xl/")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
            for item in z.infolist():
                body = z.read(item.filename)
                if item.filename == sheet_path:
                    xml = body.decode()
                    new, n = re.subn(rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?',
                                     rf"\1<v>{cached}</v>", xml)
                    assert n == 1, f"formula cell {cell} not found in {sheet_path}"
                    body = new.encode()
                w.writestr(item, body)
    return out.getvalue()


def _risk_workbook() -> bytes:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"  # the first sheet is not the register
    cover.append(["Corporate risk register: cover sheet"])
    cover.append(["risk_id", "risk_title"])
    cover.append(["WRONG", "the cover sheet was read"])
    sheet = book.create_sheet("Register")  # named after the feed's last folder, any case
    sheet.append(["Risk register export"])
    sheet.append(["As at 31 May 2025"])
    sheet.append([])
    sheet.append(["risk_id", "risk_title", "inherent_likelihood", "inherent_impact",
                  "score", "status"])
    sheet.append(["R1", "Cyber attack", 3, 4, "=C5*D5", "open"])
    book.create_sheet("Notes").append(["nothing here"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_sheet_named_after_the_feed_and_cached_formula_value():
    data = _with_cached_value(_risk_workbook(), "Register", "E5", "12")
    rows = dict(xlsx_rows(data, RISK))
    assert rows[1] == ["Risk register export", None, None, None, None, None]
    assert rows[4][0] == "risk_id"
    assert rows[5] == ["R1", "Cyber attack", 3, 4, 12, "open"]  # 12, not '=C5*D5'


def test_xlsx_formula_without_cached_value_is_empty_not_formula_text():
    rows = dict(xlsx_rows(_risk_workbook(), RISK))
    assert rows[5][4] is None


def test_xlsx_first_sheet_when_none_is_named_after_the_feed():
    book = openpyxl.Workbook()
    book.active.title = "Export"
    book.active.append(["snapshot_date", "risk_id"])
    book.create_sheet("Other").append(["not", "this"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert list(xlsx_rows(buffer.getvalue(), RISK))[0] == (1, ["snapshot_date", "risk_id"])


def test_unreadable_xlsx_is_refused():
    with pytest.raises(FileRefused, match="not a readable XLSX workbook"):
        list(xlsx_rows(b"PK\x03\x04 but not really a zip", RISK))
