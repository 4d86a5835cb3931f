"""One ingest run that loads several feeds announces it once: one `raw.loaded` Asset event
naming the feeds, which is what the transform is scheduled on; a run loading nothing
announces nothing. Runs ingest_landing in-process (dag.test) and reads Airflow's events."""

from __future__ import annotations

import shutil

from onecouncil.calendar import FiscalPeriod


def _events(name: str) -> list[dict]:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.settings import Session

    session = Session()
    try:
        rows = (session.query(AssetEvent).join(AssetModel, AssetEvent.asset_id == AssetModel.id)
                .filter(AssetModel.name == name).order_by(AssetEvent.id).all())
        return [dict(e.extra or {}) for e in rows]
    finally:
        session.close()


def test_an_ingest_run_announces_what_it_loaded_once(conn, settings, tmp_path):
    from onecouncil.airflow_runner import run_dag_in_process
    from onecouncil.simulate import simulate

    simulated = tmp_path / "simulated"
    simulate(simulated, FiscalPeriod.parse("2025-26-P01"), scale=0.02, seed=5)
    landing = tmp_path / "landing"
    for folder in ("finance/ledger", "finance/budget"):
        shutil.copytree(simulated / folder, landing / folder)

    before = len(_events_safely("raw.loaded"))
    run_id, state = run_dag_in_process("ingest_landing.py", "ingest_landing",
                                       {"landing": str(landing)}, settings,
                                       echo=lambda *a: None)
    assert state == "success"
    loaded = _events("raw.loaded")[before:]
    assert loaded == [{"feeds": ["finance/budget", "finance/ledger"]}]
    assert len(_events("raw.finance__ledger")) >= 1  # per-feed Assets stay, for lineage

    # the same folder again: every file is archived, nothing loads, nothing is announced
    _, state = run_dag_in_process("ingest_landing.py", "ingest_landing",
                                  {"landing": str(landing)}, settings, echo=lambda *a: None)
    assert state == "success"
    assert _events("raw.loaded")[before:] == loaded


def _events_safely(name: str) -> list[dict]:
    # before the first in-process run of the session there is no metadata database yet
    from onecouncil.airflow_runner import ensure_metadata_db, use_airflow_of

    ensure_metadata_db(None, echo=lambda *a: None)
    use_airflow_of(None)
    return _events(name)
