import pytest


@pytest.fixture
def db(built):
    """A connection to the warehouse each module's `built` fixture has built."""
    from onecouncil.warehouse import connect

    with connect(autocommit=True) as conn:
        yield conn
