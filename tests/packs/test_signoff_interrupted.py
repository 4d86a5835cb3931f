"""`onecouncil run` stops a pack DAG at sign-off by interrupting dag.test() from a watcher
thread (onecouncil.signoff.inprocess), then runs the next pack DAG in the same process.
The interrupt can land between a query and its commit: the next run must not inherit a
broken Airflow session (CI once failed the annual DAG so, with PendingRollbackError)."""

from __future__ import annotations

import pytest


def test_a_session_left_broken_by_the_interrupt_is_dropped_before_the_next_run(warehouse,
                                                                                settings):
    from sqlalchemy import text
    from sqlalchemy.exc import PendingRollbackError

    from onecouncil.airflow_runner import ensure_metadata_db, use_airflow_of
    from onecouncil.signoff.inprocess import drop_interrupted_session

    ensure_metadata_db(settings, echo=lambda *a: None)
    use_airflow_of(settings)
    from airflow import settings as airflow_settings

    session = airflow_settings.Session()
    session.execute(text("select 1"))  # a transaction open, as dag.test() may leave one
    session.connection().invalidate()  # and its connection lost with it
    with pytest.raises(PendingRollbackError):
        airflow_settings.Session().execute(text("select 1"))

    drop_interrupted_session()
    assert airflow_settings.Session().execute(text("select 1")).scalar() == 1
    airflow_settings.Session.remove()
