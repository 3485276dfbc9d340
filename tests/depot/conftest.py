"""A real PostgreSQL server for the depot's tests (tests/depot/pg_server.py): one per session; each test
gets a database of its own, and the station's password from PGPASSWORD as libpq finds it.

If the server cannot be started the tests FAIL with the reason: CI must run them, never skip them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.depot.pg_server import STATION_PASSWORD, Server, ServerUnavailable, start_server

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    try:
        server = start_server()
    except ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.remove()


@dataclass
class Depot:
    """One test's database on the session's server."""

    server: Server
    dbname: str

    @property
    def dsn(self) -> str:  # what a station is given: no password in it
        return self.server.station_dsn(self.dbname)

    @property
    def admin_dsn(self) -> str:
        return self.server.admin_dsn(self.dbname)

    def admin(self) -> psycopg.Connection[tuple[Any, ...]]:
        return self.server.admin(self.dbname)


@pytest.fixture
def depot_db(pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> Depot:
    """A fresh, empty database."""
    if not pg_server.alive():
        pg_server.start()  # a test that stopped or killed the server leaves it for the next one to restart
    name = f"depot_{os.getpid()}_{next(_numbers)}"
    with pg_server.admin() as conn:
        conn.execute(f"CREATE DATABASE {name}")
    monkeypatch.setenv("PGPASSWORD", STATION_PASSWORD)
    monkeypatch.delenv("PGPASSFILE", raising=False)
    return Depot(pg_server, name)
