"""The landing folder a run reads must exist: a run over a missing one says which."""

from __future__ import annotations

import pytest


def test_a_run_over_a_missing_landing_folder_fails_naming_it(warehouse, tmp_path):
    from onecouncil.pipelines.ingest import prepare_run
    from onecouncil.warehouse import connect

    missing = tmp_path / "no-such-landing"
    with pytest.raises(FileNotFoundError) as raised:
        prepare_run("test-missing-landing", "ingest_landing", missing)
    assert str(missing) in str(raised.value)
    assert "does not exist" in str(raised.value)
    with connect() as conn:  # the run is on record, so its failure can be closed
        assert conn.execute("select dag_id from ops.runs where run_id = %s",
                            ("test-missing-landing",)).fetchone() == ("ingest_landing",)


def test_an_existing_empty_landing_folder_is_fine(warehouse, tmp_path):
    from onecouncil.pipelines.ingest import prepare_run

    prepare_run("test-empty-landing", "ingest_landing", tmp_path)


def test_an_empty_poll_is_told_apart_from_a_file_arriving(tmp_path):
    from onecouncil.pipelines.ingest import anything_arrived

    assert not anything_arrived(tmp_path)
    (tmp_path / "finance" / "ledger").mkdir(parents=True)
    (tmp_path / "finance" / "ledger" / "GL_Actuals_2025-26_P01.csv.part").write_text("x")
    (tmp_path / "not-a-feed").mkdir()
    (tmp_path / "not-a-feed" / "notes.csv").write_text("x")
    assert not anything_arrived(tmp_path)  # an upload in progress, a folder of no feed
    (tmp_path / "finance" / "ledger" / "GL_Actuals_2025-26_P01.csv").write_text("x")
    assert anything_arrived(tmp_path)
