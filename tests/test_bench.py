"""`make bench`'s figure table: it reads the loader benchmark's own report, and says for
each figure whether its goal was met (the benchmarks themselves are not timed tests)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from rich.console import Console

from onecouncil.bench import __main__ as bench
from onecouncil.bench import ledger_load


def _text(table) -> str:
    out = Console(file=io.StringIO(), width=250, color_system=None)
    out.print(table)
    return out.file.getvalue()


def test_the_loader_figures_are_read_from_the_loader_benchmarks_report(tmp_path, monkeypatch):
    printed = Console(file=io.StringIO(), width=200, color_system=None)
    monkeypatch.setattr(ledger_load, "console", printed)
    erp, plain = tmp_path / "erp.csv", tmp_path / "plain.csv"
    erp.write_text("x")
    plain.write_text("x")
    same = (1000, Decimal(5), None, None, 1000, "abc")
    ledger_load.report([("loader (load_file)", 12.5, 1000), ("psql \\copy (plain CSV)", 5.0, 1000),
                        ("pandas to_sql", 40.25, 1000)], ledger_load.machine(), "18.4", 1000,
                       erp, plain, Decimal(5), {"loader": same, "psql": same, "pandas": same})
    bars = ("(a) loader: load_file ━━━━━━ 1000/1000 0:00:12\n"
            "(b) psql \\copy ━━━━━━ 1000/1000 0:00:05\n(c) pandas to_sql ━━━━━━ 1/1 0:00:40\n")
    figures = bench.parse_ledger(bars + printed.file.getvalue())  # its progress bars come first
    assert figures == {"loader": 12.5, "psql": 5.0, "pandas": 40.25, "ratio": 0.4}


def test_each_figure_is_set_against_its_goal_and_scale_ten_against_scale_one():
    year = dict.fromkeys(bench.bench_year.YEAR_STAGES, 20.0)  # 120 s: under 3 minutes
    results = {
        1.0: {"ledger": {"loader": 10.0, "psql": 5.0, "pandas": 60.0, "ratio": 0.5,
                         "rows": 1_000_000, "load": 2.0},
              "dbt": {"plain dbt build": 100.0, "transform DAG": 150.0},
              "year": year, "month": {"ingest": 4.0, "transform": 4.0, "monthly packs": 4.0,
                                      "load": 2.0},
              "load": {"year": 2.0, "dbt": 2.0}},
        10.0: {"year": {k: v * 12 for k, v in year.items()}, "load": {"year": 3.0}},
    }
    text = _text(bench.summary(results))
    rows = {line.split("│")[1].strip(): line for line in text.splitlines()
            if line.count("│") > 3 and line.split("│")[1].strip()[:1].isdigit()}
    assert "0.50" in rows["1. ledger loader vs psql \\copy"]
    assert "not met (bar 0.5 met)" in rows["1. ledger loader vs psql \\copy"]
    assert "1.50x" in rows["2. transform DAG vs plain dbt build (both full)"]
    assert "not met" in rows["2. transform DAG vs plain dbt build (both full)"]
    year_rows = [line for line in text.splitlines() if "3. whole year" in line]
    assert "0.67" in year_rows[0] and " met " in year_rows[0]  # 120 s of 180
    assert "0.10" in rows["4. one more month (P12 on P01-P11)"]  # 12 s of 120: not under 10%
    assert "not met" in rows["4. one more month (P12 on P01-P11)"]
    linear = rows["5. whole year: scale 10 against 1"]
    assert "12.00x" in linear and "not met" in linear  # 12 times the cost for 10 times the rows
    assert "transform DAG: scale 10" not in text  # not measured at scale 10: no row
    assert "1440.0" in _text(bench.stages_table(results))  # the scale-10 year's total


def test_unknown_figures_and_scales_are_refused(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--figures", "ledger,speed"])
    assert "unknown figure(s) speed" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        bench.main(["--scale", "0"])
    assert "--scale must be positive" in capsys.readouterr().err
