"""The end-to-end pack tests: simulated files -> `onecouncil run` -> every pack's files.

Three modules (every pack; a quarter of indicator files only; a quarter of risk and audit
files only), each a full ingest and transform of its own in the session's warehouse, so
that `make test`'s workers run them side by side.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from packs_e2e import simulate_files


@pytest.fixture(scope="module")
def simulated(warehouse, tmp_path_factory) -> Path:
    """The simulated files, kept aside: ingestion moves what it loads out of landing."""
    return simulate_files(tmp_path_factory)
