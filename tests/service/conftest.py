"""The simulated period both service tests drop into a landing folder, and the switch that
runs the two scheduler-driven tests.

Those two (`test_service.py`, `test_celery.py`) wait for the real scheduler to run ingest,
the Asset-triggered transform and the pack DAG: several minutes each on 2 cores. `make test`
runs them with the rest, beside the other tests; `ONECOUNCIL_SCHEDULER_TESTS=0`
skips them, saying so, for a quicker run while working on something else.
"""

from __future__ import annotations

import os

import pytest

SCHEDULER_TESTS = os.environ.get("ONECOUNCIL_SCHEDULER_TESTS", "1") != "0"
needs_scheduler = pytest.mark.skipif(
    not SCHEDULER_TESTS,
    reason="waits for the real scheduler (several minutes): skipped because "
           "ONECOUNCIL_SCHEDULER_TESTS=0; `make test-service` runs them alone")

PERIOD = "2025-26-P01"


@pytest.fixture(scope="session")
def simulated(tmp_path_factory):
    """One simulated period's files for every feed (a tenth of Milton Keynes's volumes)."""
    from onecouncil.simulate import simulate

    folder = tmp_path_factory.mktemp("simulated")
    simulate(folder, PERIOD, scale=0.1)
    return folder
