"""
### Transform (airflow DAG `transform`)

Builds the warehouse's marts from the raw layer with dbt, then checks them.

- Runs once per ingest run that loaded a file (Asset `raw.loaded` from
  `ingest_landing`, the loaded feeds in its extra), or on demand
  (`onecouncil transform`, `onecouncil run`).
- `dbt_build` runs one `dbt build` of the project in `dbt/` (dbt in-process),
  four nodes at a time (`ONECOUNCIL_DBT_THREADS`), of only what changed since
  the last successful transform: the models downstream of the feeds that loaded
  a file since (`source:...+`), those changed in the project (`state:modified+`
  against that build's manifest in `$ONECOUNCIL_HOME/dbt/state`), any whose
  table is missing, and on a new calendar year those tagged
  `rebuild_each_new_year`, and those dbt skipped or could not build before. The
  first run, a run without saved state, one after a change to `dbt_project.yml`
  (its vars) or the council's name, or param `full_refresh` (`--full-refresh`)
  builds everything (dbt `--full-refresh` with the param). Nothing loaded and
  nothing changed: nothing is built, the run still succeeds. One task, not one
  per model: see the README's "Why one dbt task".
- `check_quality` stores every dbt data test and Great Expectations check in
  `ops.check_results`, each `blocking` or `warning`, and counts them in
  `ops.runs`. After a partial build only the GX suites reading a rebuilt
  relation run; every check not run is carried forward from the run that last
  ran it (`carried_forward_from`), so the verdict still covers every check and
  the pack says which results are carried forward. A failed blocking check
  does not stop the packs: they are rendered marked `DRAFT - data checks failed`.
- Publishes the Assets `marts.finance`, `marts.performance`, `marts.risk` and
  `marts.audit` when done, also when nothing was rebuilt: the pack DAGs it
  triggers render only packs whose data or verdict changed.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

from onecouncil.assets import MART_SUBJECTS, loaded_asset, marts_asset
from onecouncil.notify import deadlines
from onecouncil.notify.airflow import task_failed
from onecouncil.pipelines.transform import DAG_ID

OWNER = {"owner": "data-team", "retries": 1, "retry_delay": timedelta(minutes=1),
         "on_failure_callback": task_failed}  # the data team is emailed


@dag(
    dag_id=DAG_ID,
    schedule=loaded_asset(),  # one event per ingest run that loaded anything
    start_date=pendulum.datetime(2025, 4, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,  # two builds of the same tables would overwrite each other
    tags=["transform", "dbt", "marts"],
    doc_md=__doc__,
    default_args=OWNER,
    params={"full_refresh": Param(False, type="boolean",
                                  description="Rebuild every model and run every check, not "
                                              "only what changed since the last success")},
    deadline=deadlines.transform(),  # far slower than usual: the data team is told
)
def transform():
    @task
    def start() -> None:
        """Open the run in `ops.runs`."""
        from onecouncil.pipelines.runs import open_run

        open_run(get_current_context()["run_id"], DAG_ID)

    @task  # rebuilding tables is idempotent, so a retry after a lost connection is safe
    def dbt_build() -> dict:
        """`dbt build` of what changed (or all); keeps run_results.json for the checks."""
        from onecouncil.pipelines import transform as pipeline

        context = get_current_context()
        return pipeline.dbt_build(context["run_id"],
                                  full_refresh=bool(context["params"].get("full_refresh")))

    @task(trigger_rule="all_done", outlets=[marts_asset(s) for s in MART_SUBJECTS])
    def check_quality() -> dict:
        """Store dbt test and GX results, close the run; fail only if dbt itself failed."""
        from onecouncil.pipelines import transform as pipeline

        return pipeline.check(get_current_context()["run_id"])

    start() >> dbt_build() >> check_quality()


transform_dag = transform()
