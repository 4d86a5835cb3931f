"""Airflow works in Europe/London, embedded and in the compose deployment alike.

Airflow 3.3's UI has no server-side default time zone (`[webserver] default_ui_timezone`
is gone): it shows the browser's own zone, and a user's choice from the clock is kept by
that browser. What the project sets is `[core] default_timezone`, the zone of naive
datetimes, schedules and the DAG pages' "DAG time zone"."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_the_service_and_compose_run_airflow_on_london_time(warehouse, settings, monkeypatch):
    from onecouncil.airflow_runner import airflow_env

    monkeypatch.delenv("AIRFLOW__CORE__DEFAULT_TIMEZONE", raising=False)
    assert airflow_env(settings)["AIRFLOW__CORE__DEFAULT_TIMEZONE"] == "Europe/London"
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["x-airflow-common"]["environment"]["AIRFLOW__CORE__DEFAULT_TIMEZONE"] \
        == "Europe/London"
