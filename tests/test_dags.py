"""DAG integrity: every file in dags/ imports, and every DAG is fit to schedule."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from airflow.sdk import Asset

DAGS = Path(__file__).resolve().parent.parent / "dags"
DAG_FILES = sorted(p for p in DAGS.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def dagbag(warehouse, settings):
    from onecouncil.airflow_runner import use_airflow_of

    use_airflow_of(settings)
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    return bag


def test_dag_files_hold_the_words_the_processor_looks_for():
    assert DAG_FILES, "no DAG files found"
    for path in DAG_FILES:
        text = path.read_text().lower()
        assert "airflow" in text and "dag" in text, f"{path.name} would be skipped by Airflow"


def test_every_dag_imports_without_error(dagbag):
    assert dagbag.import_errors == {}
    assert len(dagbag.dags) >= len(DAG_FILES)


def test_every_dag_has_owner_tags_retries_and_doc(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.doc_md and len(dag.doc_md) > 100, f"{dag_id} has no doc"
        for task in dag.tasks:
            assert task.owner and task.owner != "airflow", f"{dag_id}.{task.task_id}: no owner"
            assert task.retries >= 1, f"{dag_id}.{task.task_id}: no retries"


def test_ingestion_dag_publishes_an_asset_per_feed_and_one_when_anything_loaded(dagbag):
    from onecouncil.feeds import FEEDS

    dag = dagbag.dags["ingest_landing"]
    names = {o.name for t in dag.tasks for o in t.outlets}
    assert names == {f"raw.{f.table}" for f in FEEDS} | {"raw.loaded"}
    assert dag.max_active_runs == 1
    announce = dag.task_dict["announce_loaded"]
    # once every feed task is done, whichever failed: the feeds that loaded still transform
    assert [o.name for o in announce.outlets] == ["raw.loaded"]
    assert announce.trigger_rule == "all_done"
    assert announce.upstream_task_ids == {f"load__{f.table}" for f in FEEDS}


def test_transform_runs_once_per_ingest_run_that_loaded_anything(dagbag):
    """Scheduled on raw.loaded alone, not on each feed's Asset: one ingest run loading
    several feeds starts one transform, not one per feed."""
    dag = dagbag.dags["transform"]
    assert dag.timetable.asset_condition == Asset(name="raw.loaded", group="raw",
                                                   uri="x-onecouncil://raw/loaded")
    assert dag.params["full_refresh"] is False
    assert dag.max_active_runs == 1


def test_dag_files_parse_fast(dagbag):
    from airflow.dag_processing.dagbag import DagBag

    for path in DAG_FILES:
        started = time.perf_counter()
        bag = DagBag(dag_folder=str(path))
        elapsed = time.perf_counter() - started
        assert not bag.import_errors
        assert elapsed < 2.0, f"{path.name} took {elapsed:.2f}s to parse"


def test_pack_dags_are_generated_from_the_declarations(dagbag):
    from onecouncil.packs.declarations import CADENCES, DECLARATIONS

    for cadence in CADENCES:
        dag = dagbag.dags[cadence.dag_id]
        assert cadence.param in dag.params
        tasks = {t.task_id for t in dag.tasks}
        mine = [d for d in DECLARATIONS if d.cadence == cadence]
        # render -> approve (sign-off, one per period) -> publish (public packs only)
        assert tasks == {f"{step}_{d.name.replace('-', '_')}" for d in mine
                         for step in ("render", "approve", *(("publish",) if d.public else ()))}
        for d in mine:
            name = d.name.replace("-", "_")
            assert dag.task_dict[f"approve_{name}"].upstream_task_ids == {f"render_{name}"}
            if d.public:
                assert dag.task_dict[f"publish_{name}"].upstream_task_ids == {f"approve_{name}"}
    every = {t.task_id for c in CADENCES for t in dagbag.dags[c.dag_id].tasks}
    assert len([t for t in every if t.startswith("render_")]) == len(DECLARATIONS)


def test_when_the_marts_land_the_monthly_packs_render_first(dagbag):
    """All three pack DAGs follow the marts' Assets; the monthly finance pack, due by 09:00,
    goes ahead of the quarterly and annual renders on a busy executor."""
    def weight(dag_id: str) -> int:
        return min(t.priority_weight for t in dagbag.dags[dag_id].tasks
                   if t.task_id.startswith("render_"))

    assert weight("monthly_packs") > max(weight("quarterly_packs"), weight("annual_packs"))


def test_a_run_started_by_hand_does_not_wait_for_retries(monkeypatch, settings):
    """dag.test() sleeps through retry_delay: the in-process runner turns retries off."""
    from onecouncil import airflow_runner

    seen = {}

    def fake_test(self, run_conf=None):
        seen.update({t.task_id: t.retries for t in self.tasks})
        raise RuntimeError("stop here")

    from airflow.sdk import DAG

    monkeypatch.setattr(DAG, "test", fake_test)
    monkeypatch.setattr(airflow_runner, "ensure_metadata_db", lambda *a, **k: None)
    with pytest.raises(RuntimeError, match="stop here"):
        airflow_runner.run_dag_in_process("packs.py", "quarterly_packs", {}, settings)
    assert seen and set(seen.values()) == {0}


def test_a_process_that_touched_airflow_first_is_pointed_at_the_home(warehouse, settings):
    """A process (a test worker, a notebook) that initialised Airflow before any home was
    chosen has Airflow's SQLite default; the in-process runner points it at the warehouse's
    `airflow` database all the same."""
    import subprocess
    import sys

    script = (
        "import airflow.settings as s\n"
        "print(s.engine.url.get_backend_name())\n"
        "from onecouncil.airflow_runner import use_airflow_of\n"
        "use_airflow_of()\n"
        "print(s.engine.url.get_backend_name(), s.engine.url.database)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env["AIRFLOW_HOME"] = str(settings.home / "elsewhere")  # not the home's Airflow
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    before, after = done.stdout.split()[-3], done.stdout.split()[-2:]
    assert before == "sqlite"
    assert after == ["postgresql", "airflow"]
