"""Real councils' header words: the LGA Transparency Code guidance names and the variants
councils publish load; the council adds its own words in the feeds file; a refusal says
what was missing, which row came closest and what looks like each missing column.

The fixtures are written here from the guidance's column names and common variants,
not copied from any council's file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from onecouncil.feeds import feed_by_folder
from onecouncil.feeds.council import FeedsFileError, parse
from onecouncil.feeds.model import header_key
from onecouncil.ingest.reader import FileRefused, find_header

PAYMENTS = feed_by_folder("finance/payments")
ONECOUNCIL = str(Path(sys.executable).with_name("onecouncil"))
REQUIRED = ("transaction_date", "transaction_number", "amount", "supplier_name")


def rows_of(*rows):
    return iter(enumerate((list(r) for r in rows), start=1))


def _mapped(header_row: list[str]) -> dict[str, str]:
    header = find_header(PAYMENTS, rows_of(header_row))
    return {column: header.names[at] for column, at in header.positions.items()}


@pytest.mark.parametrize("header_row, expected", [
    # the LGA guidance's recommended columns
    (["Body Name", "Date", "Transaction Number", "Supplier Name", "Amount",
      "Service Area (department)", "Expenditure Category", "Capital or Revenue"],
     {"transaction_date": "Date", "transaction_number": "Transaction Number",
      "supplier_name": "Supplier Name", "amount": "Amount", "body_name": "Body Name",
      "department": "Service Area (department)", "capital_or_revenue": "Capital or Revenue",
      "expenditure_category": "Expenditure Category"}),
    # the spend data schema's field names, CamelCase
    (["OrganisationLabel", "EffectiveDate", "ServiceDivisionLabel", "ExpensesType",
      "TransactionNumber", "SupplierName", "SupplierID", "Amount", "IrrecoverableVAT",
      "ProcurementCategoryLabel"],
     {"body_name": "OrganisationLabel", "transaction_date": "EffectiveDate",
      "department": "ServiceDivisionLabel", "expenditure_category": "ExpensesType",
      "transaction_number": "TransactionNumber", "supplier_name": "SupplierName",
      "supplier_id": "SupplierID", "amount": "Amount", "irrecoverable_vat": "IrrecoverableVAT",
      "procurement_category": "ProcurementCategoryLabel"}),
    # abbreviated, bracketed and punctuated forms
    (["Organisation Name", "Invoice Payment Date", "Transaction No.", "Net Amount (£)",
      "Supplier (Beneficiary) Name", "Cap/Rev", "Expense Area", "Purpose of Expenditure"],
     {"body_name": "Organisation Name", "transaction_date": "Invoice Payment Date",
      "transaction_number": "Transaction No.", "amount": "Net Amount (£)",
      "supplier_name": "Supplier (Beneficiary) Name", "capital_or_revenue": "Cap/Rev",
      "department": "Expense Area", "expenditure_category": "Purpose of Expenditure"}),
    # paid-date, internal/document references, invoiced values
    (["Date Paid", "Internal Ref", "Invoiced Amount", "Beneficiary"],
     {"transaction_date": "Date Paid", "transaction_number": "Internal Ref",
      "amount": "Invoiced Amount", "supplier_name": "Beneficiary"}),
    (["payment_date", "document_no", "net_value", "payee_name", "directorate"],
     {"transaction_date": "payment_date", "transaction_number": "document_no",
      "amount": "net_value", "supplier_name": "payee_name", "department": "directorate"}),
    (["PAID DATE", "REFERENCE", "VALUE", "VENDOR NAME", "Service"],
     {"transaction_date": "PAID DATE", "transaction_number": "REFERENCE", "amount": "VALUE",
      "supplier_name": "VENDOR NAME", "department": "Service"}),
])
def test_lga_guidance_names_and_common_variants_are_found(header_row, expected):
    assert _mapped(header_row) == expected


@pytest.mark.parametrize("spellings", [
    ("TransactionNumber", "Transaction Number", "transaction_number", "TRANSACTION-NUMBER"),
    ("Transaction No.", "Transaction No", "TransactionNo", "transaction_no"),
    ("Supplier (Beneficiary) Name", "Supplier Beneficiary Name", "SupplierBeneficiaryName"),
])
def test_matching_ignores_case_spaces_underscores_and_punctuation(spellings):
    assert len({header_key(s) for s in spellings}) == 1


def test_the_better_word_wins_when_a_file_has_two_and_the_other_is_kept():
    header = find_header(PAYMENTS, rows_of(
        ["Invoice Date", "Payment Date", "Invoice Number", "Transaction Number", "Amount",
         "Supplier"]))
    assert header.names[header.positions["transaction_date"]] == "Payment Date"
    assert header.names[header.positions["transaction_number"]] == "Transaction Number"
    assert sorted(header.extras.values()) == ["Invoice Date", "Invoice Number"]


def test_a_refusal_names_the_missing_columns_the_closest_row_and_likely_candidates():
    with pytest.raises(FileRefused) as refused:
        find_header(PAYMENTS, rows_of(
            ["Spend over £500, August 2025"], [],
            ["Date", "Trans Ref Code", "Amount", "Payee Nm", "Notes"],
            ["04/08/2025", "1", "600", "Acme", ""]))
    message = str(refused.value)
    assert message.startswith("no header row with the required columns (missing: "
                              "transaction_number, supplier_name;")
    assert "The closest was line 3, with the columns: Date | Trans Ref Code | Amount | " \
           "Payee Nm | Notes." in message
    assert "Likely: transaction_number: 'Trans Ref Code'; supplier_name: 'Payee Nm'." in message
    assert "finance/payments: synonyms: transaction_number: ['Trans Ref Code']" in message
    assert refused.value.candidates == {"transaction_number": ["Trans Ref Code"],
                                        "supplier_name": ["Payee Nm"]}


def test_camel_case_columns_are_not_reported_missing():
    """Three of the four were there in CamelCase: only the fourth is missing."""
    with pytest.raises(FileRefused, match=r"\(missing: supplier_name;"):
        find_header(PAYMENTS, rows_of(["PaymentDate", "TransactionNumber", "NetAmount",
                                       "Xyzzy"]))


def test_a_row_longer_than_its_header_loads_with_its_extra_values_kept(conn, drop, ingest):
    drop("finance/payments", "aug.csv",
         "Date,Transaction Number,Amount,Supplier Name\n"
         "04/08/2025,T1,600.00,Acme Ltd,note beyond the header\n"
         "05/08/2025,T2,700.00,Acme Ltd\n")
    [outcome] = ingest()
    assert (outcome.outcome, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 2, 0)
    extras = conn.execute("select transaction_number, extra_columns from raw.finance__payments "
                          "order by 1").fetchall()
    assert extras == [("T1", {"column 5": "note beyond the header"}), ("T2", None)]


# -- the council's own words ------------------------------------------------------------

COUNCIL = """
finance/payments:
  synonyms:
    transaction_number: ["Voucher Code", "Doc Ref."]
    supplier_name: ["Trading Name"]
"""


@pytest.fixture
def feeds_file(tmp_path, monkeypatch):
    path = tmp_path / "feeds.yml"
    path.write_text(COUNCIL)
    monkeypatch.setenv("ONECOUNCIL_FEEDS_FILE", str(path))
    return path


def test_the_councils_words_from_the_feeds_file_are_used(feeds_file, conn, drop, ingest):
    assert _mapped(["Date", "DocRef", "Amount", "Trading Name"])["transaction_number"] == "DocRef"
    drop("finance/payments", "aug.csv", "Paid Date,Voucher Code,Value,Trading Name\n"
                                        "04/08/2025,V1,600.00,Acme Ltd\n")
    [outcome] = ingest()
    assert outcome.outcome == "loaded", outcome.reason
    assert conn.execute("select transaction_number, supplier_name from raw.finance__payments"
                        ).fetchall() == [("V1", "Acme Ltd")]


@pytest.mark.parametrize("text, error", [
    ("finance/paymnets:\n  synonyms:\n    amount: [Total]\n",
     r"unknown feed 'finance/paymnets'; the feeds are .*finance/payments"),
    ("finance/payments:\n  synonyms:\n    supplier: [Payee]\n",
     r"finance/payments has no column 'supplier'; its columns are transaction_date, "),
    ("finance/payments:\n  synonyms:\n    amount: [Supplier Name]\n",
     r"finance/payments.amount: 'Supplier Name' is the name of the column supplier_name"),
    ("finance/payments:\n  words: {}\n", r"expected only `synonyms:`"),
    ("finance/payments: [", r"is not valid YAML"),
    ("- finance/payments\n", r"expected feed folders"),
])
def test_a_bad_feeds_file_is_refused_naming_the_feed_or_column(text, error):
    with pytest.raises(FeedsFileError, match=error):
        parse(text, "the feeds file x.yml")


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([ONECOUNCIL, *args], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=300)


def test_commands_stop_with_one_line_on_a_bad_feeds_file(tmp_path):
    bad = tmp_path / "feeds.yml"
    bad.write_text("finance/payments:\n  synonyms:\n    supplier: [Payee]\n")
    for args in (("feeds", "list"), ("ingest", "--landing", str(tmp_path))):
        done = _cli(*args, ONECOUNCIL_FEEDS_FILE=str(bad), ONECOUNCIL_HOME=str(tmp_path / "h"))
        assert done.returncode == 2, done.stdout + done.stderr
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "has no column 'supplier'" in lines[0], done.stderr
        assert str(bad) in lines[0]
    assert not (tmp_path / "h" / "pgdata").exists()


def test_feeds_list_shows_built_in_and_council_words(feeds_file, tmp_path):
    done = _cli("feeds", "list", ONECOUNCIL_HOME=str(tmp_path / "h"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "finance/payments" in out and "transaction_number *" in out
    assert "Voucher Code" in out and "Invoice Payment Date" in out and "risk/register" in out


def test_feeds_check_is_a_dry_run_that_says_what_a_load_would_do(tmp_path):
    home = tmp_path / "h"
    path = tmp_path / "spend-aug-2025.csv"
    path.write_text("Spend over £500 - August 2025\n\n"
                    "Body Name,Invoice Payment Date,Transaction No.,Net Amount (£),"
                    "Supplier (Beneficiary) Name,Service Division Label\n"
                    "Milton Keynes City Council,04/08/2025,TX-1,\"1,250.00\",Acme Ltd,Highways\n"
                    "Milton Keynes City Council,31/02/2025,TX-2,600.00,Acme Ltd,Highways\n"
                    "TOTAL,,,1850.00,,\n", encoding="utf-8")
    done = _cli("feeds", "check", str(path), "--feed", "finance/payments",
                ONECOUNCIL_HOME=str(home))
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "would load" in out and "header: line 3" in out
    assert "'Invoice Payment Date'" in out and "'Supplier (Beneficiary) Name'" in out
    assert "rows read 2: would load 1, would be quarantined 1" in out
    assert "line 5: transaction_date:" in out
    assert "control total (TOTAL row): £1,850.00; the column sums to £1,850.00" in out
    assert not home.exists() or not (home / "pgdata").exists()  # no warehouse started
    assert path.exists() and not (home / "archive").exists()

    refused = tmp_path / "odd.csv"
    refused.write_text("Date,Trans Ref Code,Amount,Payee Nm\n04/08/2025,1,600,Acme\n")
    done = _cli("feeds", "check", str(refused), "--feed", "finance/payments",
                ONECOUNCIL_HOME=str(home))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "would be refused" in done.stdout
    assert "closest header row: line 1: Date | Trans Ref Code | Amount | Payee Nm" in done.stdout
    assert "transaction_number: 'Trans Ref Code'" in done.stdout

    done = _cli("feeds", "check", str(refused), "--feed", "finance/paymnets",
                ONECOUNCIL_HOME=str(home))
    assert done.returncode == 2 and "unknown feed 'finance/paymnets'" in done.stderr
