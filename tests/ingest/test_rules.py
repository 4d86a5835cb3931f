"""Every rule of sources.md "Rules for every file", against the real warehouse.

Each rule has at least one case that must load and one that must not.
"""

from __future__ import annotations

import io
import stat
from decimal import Decimal

import openpyxl
import pytest

LEDGER_HEADER = "transaction_id,posting_date,fiscal_year,period,cost_centre,account_code,amount\n"


def ledger(period: int, rows: list[tuple[str, str]], total: str | None = None) -> str:
    """A small ledger file for `period`: rows of (transaction_id, amount)."""
    lines = [LEDGER_HEADER] + [
        f"{tid},30/04/2025,2025-26,{period},CC100,A100,{amount}\n" for tid, amount in rows]
    if total is not None:
        lines.append(f"TOTAL,,,,,,{total}\n")
    return "".join(lines)


def files(conn) -> list[dict]:
    cur = conn.execute("select * from ops.files order by file_id")
    return [dict(zip([d.name for d in cur.description], r)) for r in cur.fetchall()]


def current_ledger(conn) -> list[tuple]:
    return conn.execute(
        "select transaction_id, period, amount from raw.finance__ledger "
        "where _replaced_at is null order by transaction_id").fetchall()


# -- identity and archive -----------------------------------------------------------

def test_same_bytes_dropped_twice_load_once(ingest, drop, conn):
    content = ledger(1, [("T1", "10.00"), ("T2", "5.00")])
    drop("finance/ledger", "p01.csv", content)
    drop("finance/ledger", "p01-again.csv", content)
    outcomes = ingest()
    assert [o.outcome for o in outcomes] == ["loaded", "duplicate"]
    assert conn.execute("select count(*) from raw.finance__ledger").fetchone()[0] == 2
    # and again in a later run: still one load, one more duplicate arrival recorded
    drop("finance/ledger", "p01-third.csv", content)
    assert [o.outcome for o in ingest("second-run")] == ["duplicate"]
    assert [f["outcome"] for f in files(conn)] == ["loaded", "duplicate", "duplicate"]
    assert conn.execute("select count(*) from raw.finance__ledger").fetchone()[0] == 2


def test_different_bytes_are_different_files(ingest, drop, conn):
    drop("finance/ledger", "a.csv", ledger(1, [("T1", "10.00")]))
    drop("finance/ledger", "b.csv", ledger(2, [("T2", "10.00")]))
    assert [o.outcome for o in ingest()] == ["loaded", "loaded"]


def test_every_arrival_is_archived_byte_for_byte_and_read_only(ingest, drop, conn, landing):
    good = drop("finance/ledger", "good.csv", ledger(1, [("T1", "1.00")])).read_bytes()
    bad = drop("finance/ledger", "bad.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary").read_bytes()
    ingest()
    recorded = files(conn)
    assert [f["outcome"] for f in recorded] == ["loaded", "refused"]
    for f, data in zip(recorded, (good, bad)):
        from pathlib import Path

        kept = Path(f["archive_path"])
        assert kept.read_bytes() == data
        assert not kept.stat().st_mode & stat.S_IWUSR
    assert not any((landing / "finance/ledger").iterdir()), "processed files leave the landing zone"


def test_rerun_with_nothing_new_changes_nothing(ingest, drop, conn):
    drop("finance/ledger", "p01.csv", ledger(1, [("T1", "1.00")]))
    ingest()
    before = (files(conn), current_ledger(conn))
    assert ingest("again") == []
    assert (files(conn), current_ledger(conn)) == before


# -- encoding, delimiter, header -----------------------------------------------------

def test_utf8_with_bom_and_windows_1252_both_load(ingest, drop, conn):
    drop("finance/ledger", "bom.csv", "\ufeff" + ledger(1, [("T1", "\"£1,000.00\"")]), "utf-8")
    drop("finance/ledger", "erp.csv", ledger(2, [("T2", "\"£2,000.50\"")]).replace("\n", "\r\n"),
         "cp1252")
    outcomes = ingest()
    assert [o.outcome for o in outcomes] == ["loaded", "loaded"]
    assert current_ledger(conn) == [("T1", 1, Decimal("1000.00")), ("T2", 2, Decimal("2000.50"))]
    encodings = [f["encoding"] for f in files(conn)]
    assert encodings == ["utf-8", "windows-1252"]


def test_text_in_neither_encoding_is_refused(ingest, drop, conn):
    drop("finance/ledger", "odd.csv", LEDGER_HEADER.encode() + b"T1,\x81\x8d\n")
    [outcome] = ingest()
    assert outcome.outcome == "refused" and "neither UTF-8 nor Windows-1252" in outcome.reason


def test_quoted_fields_hold_commas_and_new_lines(ingest, drop, conn):
    drop("finance/ledger", "q.csv",
         "transaction_id,posting_date,fiscal_year,period,cost_centre,account_code,amount,"
         "description\n"
         'T1,30/04/2025,2025-26,1,CC100,A100,"1,234.00","Chairs, tables\nand desks"\n'
         "T2,30/04/2025,2025-26,1,CC100,A100,not money,x\n")
    [outcome] = ingest()
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    desc = conn.execute("select description, amount from raw.finance__ledger").fetchone()
    assert desc == ("Chairs, tables\nand desks", Decimal("1234.00"))
    # the bad row starts on physical line 4, after the two-line quoted field
    assert conn.execute("select line_number from ops.quarantine").fetchone()[0] == 4


def test_header_synonyms_case_spaces_title_rows_and_extra_columns(ingest, drop, conn):
    drop("finance/ledger", "erp.csv",
         "General ledger export,,,,,,\nRun 05/05/2025,,,,,,\n\n"
         " TRANS NO ,Posting_Date,fiscal year,PERIOD,Cost Centre,account code,Net Amount,Batch\n"
         "T1,30/04/2025,2025-26,1,CC100,A100,12.00,B7\n")
    [outcome] = ingest()
    assert outcome.outcome == "loaded" and outcome.rows_loaded == 1
    row = conn.execute("select transaction_id, amount, extra_columns, _line_number "
                       "from raw.finance__ledger").fetchone()
    assert row == ("T1", Decimal("12.00"), {"Batch": "B7"}, 5)


def test_no_header_with_the_required_columns_is_refused(ingest, drop, conn):
    drop("finance/ledger", "nohdr.csv", "transaction_id,posting_date,amount\nT1,30/04/2025,1\n")
    [outcome] = ingest()
    assert outcome.outcome == "refused"
    assert "no header row" in outcome.reason and "fiscal_year" in outcome.reason


# -- empty rows and trailer ---------------------------------------------------------

def test_blank_rows_are_skipped_and_not_counted(ingest, drop, conn):
    drop("finance/ledger", "b.csv", LEDGER_HEADER + "\n,,,,,,\n"
         "T1,30/04/2025,2025-26,1,CC100,A100,1.00\n\n")
    [outcome] = ingest()
    assert (outcome.rows_read, outcome.rows_loaded) == (1, 1)


def test_control_total_matching_to_the_penny_loads(ingest, drop, conn):
    drop("finance/ledger", "ok.csv", ledger(1, [("T1", "\"£1,000.10\""), ("T2", "(0.10)")],
                                            total='"£1,000.00"'))
    [outcome] = ingest()
    assert outcome.outcome == "loaded" and outcome.control_total == "1000.00"
    assert outcome.rows_read == 2  # the trailer is not a data row


def test_control_total_mismatch_refuses_the_whole_file(ingest, drop, conn):
    drop("finance/ledger", "bad.csv", ledger(1, [("T1", "1000.10"), ("T2", "-0.10")],
                                             total="1000.01"))
    [outcome] = ingest()
    assert outcome.outcome == "refused"
    assert "control total mismatch" in outcome.reason and "0.01" in outcome.reason
    assert conn.execute("select count(*) from raw.finance__ledger").fetchone()[0] == 0
    assert conn.execute("select count(*) from ops.quarantine").fetchone()[0] == 0


def test_trailer_in_a_feed_without_amount_column_is_just_skipped(ingest, drop, conn):
    drop("reference/directorates", "d.csv",
         "directorate_code,directorate_name\nADU,Adults\nTotal,1\n")
    [outcome] = ingest()
    assert (outcome.outcome, outcome.rows_read, outcome.rows_loaded) == ("loaded", 1, 1)


# -- dates, amounts, booleans: typed in raw, bad ones quarantined ------------------------

def test_dates_in_every_allowed_form_load_and_us_order_is_quarantined(ingest, drop, conn):
    rows = ["2025-04-30", "30/04/2025", "30/04/25", "30-Apr-2025", "30/04/2025 17:45:00",
            "04/30/2025", "17:45"]
    drop("finance/ledger", "d.csv", LEDGER_HEADER + "".join(
        f"T{i},{d},2025-26,1,CC100,A100,1.00\n" for i, d in enumerate(rows)))
    [outcome] = ingest()
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (5, 2)
    dates = {r[0] for r in conn.execute("select posting_date from raw.finance__ledger")}
    assert dates == {__import__("datetime").date(2025, 4, 30)}
    reasons = [r[0] for r in conn.execute("select reason from ops.quarantine order by line_number")]
    assert "not a real date" in reasons[0] and "time and no date" in reasons[1]


def test_amounts_kept_exactly(ingest, drop, conn):
    drop("finance/ledger", "a.csv", LEDGER_HEADER.replace("\n", ",description\n") + "".join([
        'T1,30/04/2025,2025-26,1,CC100,A100," £1,234,567.89 ",a\n',
        "T2,30/04/2025,2025-26,1,CC100,A100,(0.01),b\n",
        "T3,30/04/2025,2025-26,1,CC100,A100,Â£0.10,c\n",
        "T4,30/04/2025,2025-26,1,CC100,A100,\ufffd-5,d\n",
        "T5,30/04/2025,2025-26,1,CC100,A100,12.3.4,e\n"]))
    [outcome] = ingest()
    assert outcome.rows_quarantined == 1
    amounts = dict(conn.execute("select transaction_id, amount from raw.finance__ledger"))
    assert amounts == {"T1": Decimal("1234567.89"), "T2": Decimal("-0.01"),
                       "T3": Decimal("0.10"), "T4": Decimal("-5")}
    assert sum(amounts.values()) == Decimal("1234562.98")


def test_booleans_in_every_allowed_form(ingest, drop, conn):
    header = "consultation_id,title,lead_service_code,start_date,end_date,statutory\n"
    values = ["Y", "no", "TRUE", "false", "1", "0", "Yes", "maybe"]
    drop("engagement/consultations", "c.csv", header + "".join(
        f"C{i},Title,S1,2025-05-01,2025-06-30,{v}\n" for i, v in enumerate(values)))
    [outcome] = ingest()
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (7, 1)
    got = [r[0] for r in conn.execute(
        "select statutory from raw.engagement__consultations order by consultation_id")]
    assert got == [True, False, True, False, True, False, True]


# -- XLSX ----------------------------------------------------------------------------

def risk_workbook(snapshot_dates: list[object], sheet_first: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    if sheet_first:
        book.active.title = sheet_first
        book.active.append(["not the register"])
        sheet = book.create_sheet("register")
    else:
        sheet = book.active
    sheet.append(["Milton Keynes City Council - Risk Register"])
    sheet.append(["Exported 05/05/2025"])
    sheet.append(["snapshot_date", "risk_id", "risk_title", "register", "owner",
                  "inherent_likelihood", "inherent_impact", "current_likelihood",
                  "current_impact", "target_likelihood", "target_impact", "next_review_due",
                  "status"])
    for i, snap in enumerate(snapshot_dates):
        sheet.append([snap, f"R{i}", "Funding gap", "corporate", "Director of Finance",
                      5, 5, 4, 4, 2, 3, "31/05/2025", "open"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_title_rows_real_and_text_dates_loads(ingest, drop, conn):
    from datetime import date, datetime

    drop("risk/register", "register.xlsx",
         risk_workbook([datetime(2025, 4, 30), "30/04/2025"], sheet_first="Cover"))
    [outcome] = ingest()
    assert (outcome.outcome, outcome.rows_loaded) == ("loaded", 2)
    snapshots = {r[0] for r in conn.execute("select snapshot_date from raw.risk__register")}
    assert snapshots == {date(2025, 4, 30)}
    assert conn.execute("select min(_line_number) from raw.risk__register").fetchone()[0] == 4


def test_snapshot_file_with_two_snapshot_dates_is_refused(ingest, drop, conn):
    drop("risk/register", "register.xlsx", risk_workbook(["30/04/2025", "31/05/2025"]))
    [outcome] = ingest()
    assert outcome.outcome == "refused" and "more than one snapshot_date" in outcome.reason


def test_binary_file_in_a_csv_feed_is_refused_with_a_clear_reason(ingest, drop, conn):
    drop("finance/ledger", "photo.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    [outcome] = ingest()
    assert outcome.outcome == "refused" and "binary file" in outcome.reason


def test_zero_data_rows_is_refused(ingest, drop, conn):
    drop("customer/contacts", "empty.csv",
         "contact_id,received_at,channel,service_code,outcome\n")
    [outcome] = ingest()
    assert outcome.outcome == "refused" and "zero data rows" in outcome.reason


# -- row-level quarantine ------------------------------------------------------------

def test_bad_rows_are_kept_aside_with_file_line_raw_values_and_reason(ingest, drop, conn):
    drop("customer/contacts", "day.csv",
         "contact_id,received_at,channel,service_code,outcome\n"
         "K1,2025-05-01 09:00,Phone,S1,resolved\n"
         "K2,2025-05-01 09:01,carrier pigeon,S1,resolved\n"
         "K3,,phone,S1,resolved\n"
         "K1,2025-05-01 09:02,phone,S1,referred\n")
    [outcome] = ingest()
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (4, 1, 3)
    rows = conn.execute("select q.line_number, q.reason, q.raw, f.file_name from ops.quarantine q "
                        "join ops.files f using (file_id) order by q.line_number").fetchall()
    assert [r[0] for r in rows] == [3, 4, 5]
    assert "'carrier pigeon' is not one of" in rows[0][1]
    assert rows[0][2]["channel"] == "carrier pigeon" and rows[0][3] == "day.csv"
    assert "required value is missing" in rows[1][1]
    assert "repeats line 2" in rows[2][1]
    assert conn.execute("select channel from raw.customer__contacts").fetchone()[0] == "phone"


def test_payments_exact_repeat_of_a_row_is_a_duplicate_but_similar_rows_load(ingest, drop, conn):
    drop("finance/payments", "apr.csv",
         "Payment Date,Reference,Amount,Beneficiary\n"
         "01/04/2025,P1,600.00,Acme Ltd\n"
         "01/04/2025,P1,600.00,Acme Ltd\n"
         "01/04/2025,P1,600.00,Redacted personal data\n")
    [outcome] = ingest()
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 1)
    body = {r[0] for r in conn.execute("select body_name from raw.finance__payments")}
    assert body == {"Milton Keynes City Council"}  # a file without a body is the council's own


# -- reconciliation ------------------------------------------------------------------

def test_every_file_reconciles(ingest, drop, conn):
    drop("finance/ledger", "mixed.csv", ledger(1, [("T1", "1"), ("T2", "x"), ("T1", "2")]))
    drop("finance/ledger", "refused.csv", ledger(2, [("T3", "1")], total="2"))
    ingest()
    for f in files(conn):
        assert f["rows_read"] == f["rows_loaded"] + f["rows_quarantined"]
        quarantined = conn.execute("select count(*) from ops.quarantine where file_id = %s",
                                   (f["file_id"],)).fetchone()[0]
        assert quarantined == f["rows_quarantined"]
    # the database refuses a record that does not reconcile
    import psycopg

    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("update ops.files set rows_loaded = rows_loaded + 1 where outcome = 'loaded'")


# -- replacement -----------------------------------------------------------------------

def test_corrected_period_replaces_that_period_only_and_keeps_history(ingest, drop, conn):
    drop("finance/ledger", "p01.csv", ledger(1, [("T1", "100.00"), ("T2", "50.00")]))
    drop("finance/ledger", "p02.csv", ledger(2, [("T3", "70.00")]))
    ingest()
    drop("finance/ledger", "p01-restated.csv", ledger(1, [("T1", "90.00"), ("T4", "5.00")]))
    [outcome] = ingest("restate")
    assert outcome.rows_replaced == 2
    assert current_ledger(conn) == [("T1", 1, Decimal("90.00")), ("T3", 2, Decimal("70.00")),
                                    ("T4", 1, Decimal("5.00"))]
    history = conn.execute("select transaction_id, amount, _replaced_by_sha256 = %s "
                           "from raw.finance__ledger where _replaced_at is not null "
                           "order by transaction_id", (outcome.sha256,)).fetchall()
    assert history == [("T1", Decimal("100.00"), True), ("T2", Decimal("50.00"), True)]


def test_a_refused_correction_changes_nothing(ingest, drop, conn):
    drop("finance/ledger", "p01.csv", ledger(1, [("T1", "100.00")]))
    ingest()
    drop("finance/ledger", "p01-bad.csv", ledger(1, [("T1", "90.00")], total="1.00"))
    [outcome] = ingest("restate")
    assert outcome.outcome == "refused"
    assert current_ledger(conn) == [("T1", 1, Decimal("100.00"))]
    assert conn.execute("select count(*) from raw.finance__ledger "
                        "where _replaced_at is not null").fetchone()[0] == 0


def test_whole_feed_snapshot_replaces_everything_before_it(ingest, drop, conn):
    drop("reference/services", "s1.csv", "service_code,service_name,directorate_code\n"
         "S1,Libraries,PLA\nS2,Parks,PLA\n")
    ingest()
    drop("reference/services", "s2.csv", "service_code,service_name,directorate_code\n"
         "S1,Libraries,COM\n")
    ingest("second")
    current = conn.execute("select service_code, directorate_code from raw.reference__services "
                           "where _replaced_at is null").fetchall()
    assert current == [("S1", "COM")]
    assert conn.execute("select count(*) from raw.reference__services").fetchone()[0] == 3


def test_latest_submission_wins_whatever_order_files_arrive(ingest, drop, conn):
    header = "indicator_id,period_end,value,submitted_at\n"
    drop("performance/indicator_values", "late.csv",
         header + "I1,2025-04-30,80,2025-05-09 10:00\nI1,2025-04-30,81,2025-05-08 10:00\n"
         "I2,2025-04-30,5,2025-05-08 10:00\n")
    drop("performance/indicator_values", "early.csv",
         header + "I1,2025-04-30,70,2025-05-07 10:00\n")
    ingest()
    current = conn.execute("select indicator_id, value from raw.performance__indicator_values "
                           "where _replaced_at is null order by 1").fetchall()
    assert current == [("I1", Decimal("80")), ("I2", Decimal("5"))]


def test_payments_replace_by_body_and_month(ingest, drop, conn):
    header = "transaction_date,transaction_number,amount,supplier_name,body_name\n"
    drop("finance/payments", "q1.csv", header + "01/04/2025,P1,600,A,MKCC\n"
         "01/05/2025,P2,700,B,MKCC\n01/04/2025,P3,800,C,Other Body\n")
    drop("finance/payments", "apr-fix.csv", header + "02/04/2025,P9,650,A,MKCC\n")
    ingest()
    current = [r[0] for r in conn.execute("select transaction_number from raw.finance__payments "
                                          "where _replaced_at is null order by 1")]
    assert current == ["P2", "P3", "P9"]


def test_contacts_replace_by_london_day(ingest, drop, conn):
    header = "contact_id,received_at,channel,service_code,outcome\n"
    # 23:30 UTC on 1 July is 00:30 on 2 July in London
    drop("customer/contacts", "d1.csv", header + "K1,2025-07-01T23:30:00Z,phone,S1,resolved\n"
         "K2,2025-07-01 12:00,phone,S1,resolved\n")
    drop("customer/contacts", "d2.csv", header + "K3,2025-07-02 09:00,email,S1,resolved\n")
    ingest()
    current = conn.execute("select contact_id, contact_date::text from raw.customer__contacts "
                           "where _replaced_at is null order by 1").fetchall()
    assert current == [("K2", "2025-07-01"), ("K3", "2025-07-02")]


def test_indicator_targets_in_wide_columns_are_kept(ingest, drop, conn):
    drop("performance/indicators", "ind.csv",
         "indicator_id,indicator_name,directorate_code,frequency,polarity,unit,aggregation,"
         "decimals,target_2024_25,Target 2025-26\n"
         "I1,Homes built,PLA,monthly,higher,number,sum,0,100,120\n")
    [outcome] = ingest()
    assert outcome.outcome == "loaded"
    targets = conn.execute("select targets from raw.performance__indicators").fetchone()[0]
    assert targets == {"2024-25": "100", "2025-26": "120"}
