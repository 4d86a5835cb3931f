"""Shared fixtures: one embedded PostgreSQL for the whole session, in a temporary home.

Tests never touch the developer's ./.onecouncil: ONECOUNCIL_HOME points at a
temporary folder, and the server started there is stopped at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The modules that take minutes (a real scheduler, full ingests and dbt builds), longest
# first. make test's workers take whole modules in collection order, so these start first
# and the many quick modules fill in beside them, instead of a long one starting last.
SLOW_FIRST = [
    "service/test_celery.py",
    "service/test_service.py",
    "transform/test_rebuild_only_what_changed.py",
    "e2e/test_every_pack.py",
    "e2e/test_quarter_of_indicators_only.py",
    "e2e/test_quarter_of_risk_and_audit_only.py",
    "test_concurrent_runs.py",
    "ingest/test_benchmark_feeds.py",
    "transform/test_dbt_project.py",
    "test_one_transform_per_ingest.py",
    "test_ingest_e2e.py",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent

    def rank(item) -> int:
        path = Path(item.path).relative_to(here).as_posix()
        return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: a module's tests keep their order


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("onecouncil-home")
    os.environ["ONECOUNCIL_HOME"] = str(path)
    # the tests write their landing files themselves: none is still being written
    os.environ.setdefault("ONECOUNCIL_SETTLE_SECONDS", "0")
    os.environ.pop("ONECOUNCIL_DATABASE_URL", None)
    return path


@pytest.fixture(scope="session")
def warehouse(home):
    from onecouncil.warehouse import connect, server
    from onecouncil.warehouse.schema import migrate

    srv = server()
    srv.up()
    with connect(autocommit=True) as conn:
        migrate(conn)
    yield srv
    srv.down()


@pytest.fixture
def conn(warehouse):
    """An autocommit connection to an empty warehouse (ops and raw truncated)."""
    from onecouncil.feeds import FEEDS
    from onecouncil.warehouse import connect

    with connect(autocommit=True) as c:
        tables = ["ops.check_results", "ops.quarantine", "ops.files", "ops.runs"]
        tables += [f"raw.{f.table}" for f in FEEDS]
        c.execute(f"truncate {', '.join(tables)} restart identity cascade")
        yield c


@pytest.fixture(scope="session")
def settings(home):
    from onecouncil import settings as _settings

    return _settings.load()


@pytest.fixture
def landing(tmp_path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def drop(landing):
    """Drop a file into the landing zone: drop('finance/ledger', 'p01.csv', text_or_bytes)."""
    counter = iter(range(1, 10**6))

    def _drop(folder: str, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = landing / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        stamp = 1_750_000_000 + next(counter)  # arrival order = drop order
        os.utime(path, (stamp, stamp))
        return path

    return _drop


@pytest.fixture
def ingest(conn, landing, settings):
    """Ingest every declared feed's new files in `landing`; returns their outcomes."""
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.run import ingest_feed

    def _ingest(run_id: str = "test-run"):
        outcomes = []
        for feed in FEEDS:
            outcomes += ingest_feed(conn, feed, landing, run_id=run_id, settings=settings)
        return outcomes

    return _ingest
