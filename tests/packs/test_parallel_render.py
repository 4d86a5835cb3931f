"""A pack's periods render side by side, one process each (packs.parallel): the same
files, byte for byte, as one after another, in the periods' order."""

from __future__ import annotations

import multiprocessing

import pytest
from conftest import FY

from onecouncil.calendar import parse_label
from onecouncil.packs import parallel


def test_periods_in_processes_give_the_bytes_of_one_after_another(marts, final_verdict,
                                                                  tmp_path, monkeypatch):
    from onecouncil.warehouse.roles import hand_dbt_relations_to_transformer

    hand_dbt_relations_to_transformer(marts)  # the workers read as the transformer
    periods = [parse_label(FY, "P05"), parse_label(FY, "P06")]
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    one_by_one = parallel.render_each(marts, "transparency-spend", periods, tmp_path / "a",
                                      final_verdict)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    assert parallel.workers(len(periods)) == 2
    side_by_side = parallel.render_each(marts, "transparency-spend", periods, tmp_path / "b",
                                        final_verdict)
    assert [[p.relative_to(tmp_path / "b") for p in paths] for paths in side_by_side] == \
        [[p.relative_to(tmp_path / "a") for p in paths] for paths in one_by_one]
    assert [p.parent.name for p, *_ in side_by_side] == ["P05", "P06"]
    for a, b in zip(sum(one_by_one, []), sum(side_by_side, []), strict=True):
        if a.suffix == ".pdf":
            # Two processes' PDFs differ in a few bytes of WeasyPrint's font subsets even
            # one after another (not only side by side): the same document, the same size.
            assert b.read_bytes().startswith(b"%PDF") and a.stat().st_size == b.stat().st_size
        else:
            assert a.read_bytes() == b.read_bytes(), b.name


def test_how_many_processes(monkeypatch):
    import psutil

    monkeypatch.delenv(parallel.WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 4)
    # the load average lingers after the transform's and the renders' processes: not read
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (4.0, 4.0, 4.0))
    monkeypatch.setattr(psutil, "cpu_percent", lambda interval: 2.0)  # busy in the last 0.5 s
    assert parallel.workers(1) == 1
    assert parallel.workers(50) == 4  # every core, when nothing else runs
    monkeypatch.setattr(psutil, "cpu_percent", lambda interval: 55.0)
    assert parallel.workers(50) == 2  # the cores other work leaves free
    monkeypatch.setattr(psutil, "cpu_percent", lambda interval: 100.0)
    assert parallel.workers(50) == 1
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "3")
    assert parallel.workers(6) == 3 and parallel.workers(2) == 2
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "0")
    assert parallel.workers(6) == 1
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "many")
    with pytest.raises(ValueError, match="ONECOUNCIL_PACK_WORKERS must be a whole number"):
        parallel.workers(6)


def test_a_daemonic_process_renders_one_after_another(monkeypatch):
    monkeypatch.delenv(parallel.WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert parallel.workers(6) == 1
