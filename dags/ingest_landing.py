"""
### Ingest landing files (airflow DAG `ingest_landing`)

Loads every file that has arrived in the landing zone (`<landing>/<feed>/*.csv|xlsx`)
into the warehouse's `raw` schema, following `contracts/sources.md`: one task per
feed, each file in one transaction, archived byte for byte, bad rows kept in
`ops.quarantine`, whole-file refusals and duplicates recorded in `ops.files`.
`prepare` records what is not a feed file (a symbolic link, another file type, a file
outside a feed's folder) as refused in `ops.files`, unread and left in place; a file
changed in the last minute waits for the next run. Two runs at once each take a file
under a lock named after its path, so every file loads once.

A feed task that loaded at least one file updates its Asset `raw.<feed>` (lineage);
a feed with nothing new is skipped, so no Asset event fires. When every feed task
has finished, `announce_loaded` updates the Asset `raw.loaded` once, naming the
feeds that loaded in the event's extra (`feeds`), if any feed loaded a file (even
when another feed's task failed); otherwise it is skipped. The transform DAG is
scheduled on `raw.loaded`, so one ingest run starts one transform, never one per
feed. When no file at all has arrived, `prepare` skips every feed task at once.
The run is recorded in `ops.runs`.

The landing folder is `$ONECOUNCIL_HOME/landing` (`onecouncil service up` creates it
and `onecouncil service status` names it): copy each file into its feed's folder there,
e.g. `landing/finance/ledger/`. A run over a landing folder that does not exist fails
at `prepare`, naming the folder it looked in. Param `landing`: another folder to read.
`onecouncil ingest --landing DIR` runs this DAG in-process.

Schedule: every 15 minutes; `ONECOUNCIL_LANDING_SCHEDULE` (a cron expression, read
when the DAG is parsed) sets another.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from onecouncil.assets import loaded_asset, raw_asset
from onecouncil.feeds import FEEDS
from onecouncil.notify.airflow import task_failed

DAG_ID = "ingest_landing"


def _context() -> tuple[str, str]:
    context = get_current_context()
    return context["run_id"], context["params"].get("landing")


@dag(
    dag_id=DAG_ID,
    # files arrive through the day; a quarter-hour is soon enough
    schedule=os.environ.get("ONECOUNCIL_LANDING_SCHEDULE") or "*/15 * * * *",
    start_date=pendulum.datetime(2025, 4, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,  # two runs would race for the same landing files
    tags=["ingest", "raw"],
    doc_md=__doc__,
    params={"landing": Param(None, type=["null", "string"],
                             description="Landing folder; default $ONECOUNCIL_HOME/landing")},
    default_args={"owner": "data-team", "retries": 2, "retry_delay": timedelta(minutes=1),
                  "on_failure_callback": task_failed},  # the data team is emailed
)
def ingest_landing():
    @task
    def prepare() -> None:
        """Start the warehouse, migrate `raw` and `ops`, open the run in `ops.runs`."""
        from onecouncil.pipelines import ingest

        run_id, landing = _context()
        folder = ingest.landing_folder(landing)
        ingest.prepare_run(run_id, DAG_ID, folder)
        if not ingest.anything_arrived(folder):
            # an empty poll costs this task and record_run, not a task per feed
            raise AirflowSkipException(f"no new files in {folder}")

    def load_task(folder: str, table: str, outlet):
        @task(task_id=f"load__{table}", outlets=[outlet], doc_md=f"Load `{folder}` files.")
        def load() -> list[dict]:
            from onecouncil.pipelines import ingest

            run_id, landing = _context()
            outcomes = ingest.load_feed(folder, ingest.landing_folder(landing), run_id)
            if not outcomes:
                raise AirflowSkipException(f"no new files in {folder}")
            return outcomes

        return load()

    @task(trigger_rule="none_failed")
    def record_run() -> dict:
        """Close the run in `ops.runs` as a success, with its file counts."""
        from onecouncil.pipelines import ingest

        return ingest.finish_run(_context()[0], "success")

    @task(trigger_rule="one_failed")
    def record_failed_run() -> dict:
        """Close the run in `ops.runs` as failed when any feed task failed."""
        from onecouncil.pipelines import ingest

        return ingest.finish_run(_context()[0], "failed")

    @task(trigger_rule="all_done", outlets=[loaded_asset()])
    def announce_loaded(*, outlet_events=None) -> list[str]:
        """One `raw.loaded` event per run that loaded anything: the transform's trigger."""
        from onecouncil.pipelines import ingest

        feeds = ingest.loaded_feeds(_context()[0])
        if not feeds:
            raise AirflowSkipException("no feed loaded a file: nothing for the transform")
        outlet_events[loaded_asset()].extra = {"feeds": feeds}
        return feeds

    loads = [load_task(f.folder, f.table, raw_asset(f)) for f in FEEDS]
    prepare() >> loads >> record_run()
    loads >> record_failed_run()
    loads >> announce_loaded()


ingest_landing_dag = ingest_landing()
