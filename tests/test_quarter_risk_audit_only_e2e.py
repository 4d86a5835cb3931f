"""A quarter whose warehouse holds only the risk register and audit files:
`onecouncil run --quarter` succeeds and renders every quarterly pack, the sections whose
feeds have not arrived saying so (a full ingest and transform of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packs_e2e import check_a_quarter_with_some_feeds, simulate_files


@pytest.fixture(scope="module")
def simulated(warehouse, tmp_path_factory) -> Path:
    return simulate_files(tmp_path_factory)


def test_every_quarterly_pack_renders_saying_what_it_waits_for(simulated, tmp_path):
    check_a_quarter_with_some_feeds(simulated, tmp_path, folders=("risk", "audit"),
                                    incomplete=("cabinet-quarterly", "scrutiny-quarterly"))
