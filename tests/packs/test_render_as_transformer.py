"""The pack renderer works as the warehouse's transformer role on a read-only connection
(pipelines.packs, README "Warehouse roles"): it reads the report relations dbt built and
the checks' verdict in ops, and can write nothing."""

from __future__ import annotations

import json

import psycopg
import pytest
from conftest import FY


def test_packs_render_as_the_transformer(marts, tmp_path):
    from onecouncil.calendar import parse_label
    from onecouncil.pipelines.packs import published_state, render_periods
    from onecouncil.warehouse.roles import hand_dbt_relations_to_transformer

    # as dbt leaves them (report_models.build does the same)
    hand_dbt_relations_to_transformer(marts)
    period = parse_label(FY, "P05")
    assert period in published_state("finance-outturn")  # reports.pack_sources, as the role
    render_periods("finance-outturn", [period], str(tmp_path))
    doc = json.loads((tmp_path / FY / "P05" / "finance-outturn.json").read_text())
    assert doc["figures"]["council"]["variance"] == "24234.56"


def test_the_renderers_connection_cannot_write(warehouse):
    from onecouncil.warehouse import connect

    with connect(role="transformer", read_only=True, autocommit=True) as c:
        assert c.execute("select count(*) from ops.check_results").fetchone()[0] >= 0
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            c.execute("delete from ops.check_results")
