"""The simulated period both service tests drop into a landing folder."""

from __future__ import annotations

import pytest

PERIOD = "2025-26-P01"


@pytest.fixture(scope="session")
def simulated(tmp_path_factory):
    """One simulated period's files for every feed (a tenth of Milton Keynes's volumes)."""
    from onecouncil.simulate import simulate

    folder = tmp_path_factory.mktemp("simulated")
    simulate(folder, PERIOD, scale=0.1)
    return folder
