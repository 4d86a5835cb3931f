"""The execution API a DAG run in this process talks to (dag.test()) is built for the task
SDK's own API version only, and serves that version exactly as Airflow's full app does."""

from __future__ import annotations

import pytest


def _schema(app, version: str) -> dict:
    from fastapi.openapi.utils import get_openapi

    return get_openapi(title="execution", version=version,
                       routes=app.router.versioned_routers[version].routes)


@pytest.fixture
def fresh_api(warehouse, settings):
    from airflow.sdk.execution_time.supervisor import in_process_api_server

    from onecouncil.airflow_runner import use_airflow_of

    use_airflow_of(settings)
    in_process_api_server.cache_clear()  # an earlier test's run in this worker built one
    yield in_process_api_server
    in_process_api_server.cache_clear()


def test_the_sdks_version_is_served_as_by_airflows_own_app(fresh_api):
    from airflow.api_fastapi.execution_api import versions
    from airflow.api_fastapi.execution_api.app import create_task_execution_api_app
    from airflow.sdk.api.datamodels._generated import API_VERSION

    from onecouncil.airflow_runner import serve_this_sdks_api_version

    every_version = versions.bundle.version_values
    assert serve_this_sdks_api_version() is True
    assert versions.bundle.version_values == every_version  # Airflow's own bundle is intact
    trimmed = fresh_api().app
    assert API_VERSION in trimmed.router.versioned_routers
    assert len(trimmed.versions.versions) == 3 < len(every_version)

    full = create_task_execution_api_app()
    full._cadwyn_initialize()
    assert _schema(trimmed, API_VERSION) == _schema(full, API_VERSION)
    # a second call (another run in this process) keeps the app already built
    assert serve_this_sdks_api_version() is False
    assert fresh_api().app is trimmed


def test_an_sdk_speaking_a_version_the_api_does_not_know_gets_airflows_own_app(
        fresh_api, monkeypatch):
    from airflow.sdk.api.datamodels import _generated

    from onecouncil.airflow_runner import serve_this_sdks_api_version

    monkeypatch.setattr(_generated, "API_VERSION", "2099-01-01")
    assert serve_this_sdks_api_version() is False
    assert fresh_api()._app is None  # left for Airflow to build, with every version
