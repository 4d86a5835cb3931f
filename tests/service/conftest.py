"""The simulated period both service tests drop into a landing folder, and the switch that
runs the two scheduler-driven tests.

Those two (`test_service.py`, `test_celery.py`) wait for the real scheduler to run ingest,
the Asset-triggered transform and the pack DAG: 5 to 15 minutes each on 2 cores, which would
double `make test`. They run with `make test-service` (ONECOUNCIL_SCHEDULER_TESTS=1) and
skip, saying so, otherwise.
"""

from __future__ import annotations

import os

import pytest

SCHEDULER_TESTS = os.environ.get("ONECOUNCIL_SCHEDULER_TESTS") == "1"
needs_scheduler = pytest.mark.skipif(
    not SCHEDULER_TESTS,
    reason="waits for the real scheduler (5-15 min): run `make test-service` "
           "(ONECOUNCIL_SCHEDULER_TESTS=1)")

PERIOD = "2025-26-P01"


@pytest.fixture(scope="session")
def simulated(tmp_path_factory):
    """One simulated period's files for every feed (a tenth of Milton Keynes's volumes)."""
    from onecouncil.simulate import simulate

    folder = tmp_path_factory.mktemp("simulated")
    simulate(folder, PERIOD, scale=0.1)
    return folder
