"""
### Transform (airflow DAG `transform`)

Builds the warehouse's marts from the raw layer with dbt, then checks them.

- Runs when any feed has loaded a file (Assets `raw.<feed>` from
  `ingest_landing`), or on demand (`onecouncil run`).
- `dbt_build` runs one `dbt build` of the project in `dbt/` (dbt in-process):
  every model and its tests, in dependency order, two threads. One task, not
  one per model: see the README's "Why one dbt task" for what Cosmos's
  per-model and watcher modes cost and where they broke.
- `check_quality` stores every dbt data test and Great Expectations check in
  `ops.check_results`, each `blocking` or `warning`, and counts them in
  `ops.runs`. A failed blocking check does not stop the packs: they are
  rendered marked `DRAFT - data checks failed`.
- Publishes the Assets `marts.finance`, `marts.performance`, `marts.risk` and
  `marts.audit` when done.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, get_current_context, task

from onecouncil.assets import MART_SUBJECTS, marts_asset, raw_asset
from onecouncil.feeds import FEEDS
from onecouncil.notify import deadlines
from onecouncil.notify.airflow import task_failed
from onecouncil.pipelines.transform import DAG_ID

OWNER = {"owner": "data-team", "retries": 1, "retry_delay": timedelta(minutes=1),
         "on_failure_callback": task_failed}  # the data team is emailed


def _any_of(assets):
    schedule = assets[0]
    for asset in assets[1:]:
        schedule = schedule | asset
    return schedule


@dag(
    dag_id=DAG_ID,
    schedule=_any_of([raw_asset(f) for f in FEEDS]),
    start_date=pendulum.datetime(2025, 4, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,  # two builds of the same tables would overwrite each other
    tags=["transform", "dbt", "marts"],
    doc_md=__doc__,
    default_args=OWNER,
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
        """`dbt build`: every model, then its tests; keeps run_results.json for the checks."""
        from onecouncil.pipelines import transform as pipeline

        return pipeline.dbt_build(get_current_context()["run_id"])

    @task(trigger_rule="all_done", outlets=[marts_asset(s) for s in MART_SUBJECTS])
    def check_quality() -> dict:
        """Store dbt test and GX results, close the run; fail only if dbt itself failed."""
        from onecouncil.pipelines import transform as pipeline

        return pipeline.check(get_current_context()["run_id"])

    start() >> dbt_build() >> check_quality()


transform_dag = transform()
