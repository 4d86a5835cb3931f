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

    operational, database = _sqlalchemy_errors()
    for e in _chain(exc):
        if isinstance(e, WarehouseError):
            return str(e)
        if isinstance(e, (psycopg.OperationalError, *operational)):
            first = (str(getattr(e, "orig", None) or e).strip().splitlines() or [""])[0]
            return f"lost the connection to the warehouse ({first.rstrip('.')}); {NEXT_STEP}"
    # A crash can surface as a later, secondary error (Airflow touching a TaskInstance
    # whose session died: DetachedInstanceError) with the OperationalError long handled.
    if any(isinstance(e, (psycopg.Error, *database)) for e in _chain(exc)) \
            and not _reachable():
        return f"lost the connection to the warehouse (it is no longer running); {NEXT_STEP}"
    return None


def _sqlalchemy_errors() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """SQLAlchemy's (connection-lost, any) error classes, or none without SQLAlchemy."""
    try:
        from sqlalchemy.exc import OperationalError, SQLAlchemyError
    except ImportError:  # pragma: no cover - SQLAlchemy comes with Airflow
        return (), ()
    return (OperationalError,), (SQLAlchemyError,)


def _reachable() -> bool:
    from onecouncil.warehouse.server import server

    try:
        return server().is_running()
    except Exception:  # the settings or the server helper failing means: not reachable
        return False
