"""Sign-off through the running service's Airflow REST API (api/v2 hitlDetails).

Used by `onecouncil signoff` when ONECOUNCIL_AIRFLOW_API_URL names the API server (e.g.
http://127.0.0.1:8080). A token comes from ONECOUNCIL_AIRFLOW_API_TOKEN, or from
ONECOUNCIL_AIRFLOW_USER / ONECOUNCIL_AIRFLOW_PASSWORD through the server's /auth/token.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from onecouncil.signoff.waiting import TASK_PREFIX, Waiting, _pack_of


def base_url() -> str | None:
    return (os.environ.get("ONECOUNCIL_AIRFLOW_API_URL") or "").rstrip("/") or None


def _client() -> httpx.Client:
    url = base_url()
    token = os.environ.get("ONECOUNCIL_AIRFLOW_API_TOKEN")
    if not token:
        user, password = (os.environ.get("ONECOUNCIL_AIRFLOW_USER"),
                          os.environ.get("ONECOUNCIL_AIRFLOW_PASSWORD"))
        if not (user and password):
            raise RuntimeError("set ONECOUNCIL_AIRFLOW_API_TOKEN, or ONECOUNCIL_AIRFLOW_USER "
                               "and ONECOUNCIL_AIRFLOW_PASSWORD, to use the Airflow API at "
                               f"{url}")
        got = httpx.post(f"{url}/auth/token", json={"username": user, "password": password},
                         timeout=30)
        got.raise_for_status()
        token = got.json()["access_token"]
    return httpx.Client(base_url=f"{url}/api/v2", timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def waiting() -> list[Waiting]:
    with _client() as client:
        got = client.get("/dags/~/dagRuns/~/hitlDetails",
                         params={"response_received": "false", "state": "awaiting_input",
                                 "task_id_pattern": TASK_PREFIX, "limit": 1000})
        got.raise_for_status()
    out = []
    for d in got.json()["hitl_details"]:
        ti = d["task_instance"]
        if pack := _pack_of(ti["task_id"]):
            out.append(Waiting(pack, ti.get("rendered_map_index") or "", ti["dag_id"],
                               ti["dag_run_id"], ti["task_id"], ti["map_index"], d["subject"],
                               d.get("body") or "", d["created_at"], d.get("params") or {}))
    return out


def answer(w: Waiting, *, approve: bool, values: dict[str, Any]) -> None:
    from onecouncil.signoff.waiting import params_input

    with _client() as client:
        got = client.patch(
            f"/dags/{w.dag_id}/dagRuns/{w.run_id}/taskInstances/{w.task_id}/{w.map_index}"
            "/hitlDetails",
            json={"chosen_options": ["Approve" if approve else "Reject"],
                  "params_input": params_input(w, values)})
        if got.status_code >= 400:
            raise RuntimeError(f"the Airflow API refused the answer ({got.status_code}): "
                               f"{got.text[:500]}")
