"""One line, not a traceback, when the warehouse goes away under a command.

A database that crashed, was stopped, or cannot be reached surfaces deep inside
psycopg, SQLAlchemy (Airflow's metadata) or the server helper; the command
ends with what happened and what to do next instead.
"""

from __future__ import annotations

NEXT_STEP = ("start it with `onecouncil warehouse up` (or check ONECOUNCIL_DATABASE_URL) "
             "and run the command again")


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def explain(exc: BaseException) -> str | None:
    """The one line to print for an exception that means the warehouse is gone, else None."""
    import psycopg

    from onecouncil.warehouse.server import WarehouseError

    for e in _chain(exc):
        if isinstance(e, WarehouseError):
            return str(e)
        if isinstance(e, psycopg.OperationalError) or _sqlalchemy_operational(e):
            first = (str(getattr(e, "orig", None) or e).strip().splitlines() or [""])[0]
            return f"lost the connection to the warehouse ({first.rstrip('.')}); {NEXT_STEP}"
    # A crash can surface as a later, secondary error (Airflow touching a TaskInstance
    # whose session died: DetachedInstanceError) with the OperationalError long handled.
    if any(_database_error(e) for e in _chain(exc)) and not _reachable():
        return f"lost the connection to the warehouse (it is no longer running); {NEXT_STEP}"
    return None


def _database_error(e: BaseException) -> bool:
    import psycopg

    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pragma: no cover - SQLAlchemy comes with Airflow
        return isinstance(e, psycopg.Error)
    return isinstance(e, (psycopg.Error, SQLAlchemyError))


def _reachable() -> bool:
    from onecouncil.warehouse.server import server

    try:
        return server().is_running()
    except Exception:  # the settings or the server helper failing means: not reachable
        return False


def _sqlalchemy_operational(e: BaseException) -> bool:
    try:
        from sqlalchemy.exc import OperationalError
    except ImportError:  # pragma: no cover - SQLAlchemy comes with Airflow
        return False
    return isinstance(e, OperationalError)
