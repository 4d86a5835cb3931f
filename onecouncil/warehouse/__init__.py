"""The warehouse server (embedded or configured) and connections to it."""

from onecouncil.warehouse.server import Server, connect, server

__all__ = ["Server", "connect", "server"]
