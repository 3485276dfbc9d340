"""Reaching the depot's server: the DSN (a libpq connection string or URI), timeouts on every call, and
errors that name the server (host:port/dbname, never a password) and say what to do."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict

from station.core.errors import DepotError, DepotUnreachable

Connection = psycopg.Connection[tuple[object, ...]]  # for modules outside station/depot, which never import psycopg


@dataclass(frozen=True)
class DepotTimeouts:
    """Seconds allowed to connect and for any one statement: the station never hangs on its depot."""

    connect_s: int = 5
    statement_s: float = 30.0


BACKGROUND = DepotTimeouts(connect_s=2, statement_s=10.0)  # a push nobody waits for must give up quickly


def server_label(dsn: str) -> str:
    """host:port/dbname as libpq would resolve them (the DSN, then the PG* variables, then its defaults)."""
    parts = _parse(dsn)
    host = str(parts.get("host") or os.environ.get("PGHOST") or "localhost")
    port = str(parts.get("port") or os.environ.get("PGPORT") or "5432")
    user = str(parts.get("user") or os.environ.get("PGUSER") or "")
    dbname = str(parts.get("dbname") or os.environ.get("PGDATABASE") or user)
    return f"{host}:{port}/{dbname}"


def refuse_password(dsn: str) -> None:
    """A DSN kept in the data folder must not carry the password."""
    if "password" in _parse(dsn):
        raise DepotError(
            f"depot {server_label(dsn)}: the DSN contains a password, which would be stored in the data folder; "
            "remove it and give the password in PGPASSWORD or ~/.pgpass instead"
        )


def _parse(dsn: str) -> dict[str, object]:
    try:
        return dict(conninfo_to_dict(dsn))
    except psycopg.ProgrammingError as exc:
        raise DepotError(f"{dsn!r} is not a libpq connection string or URI ({_first_line(exc)})") from None


def connect(dsn: str, timeouts: DepotTimeouts = DepotTimeouts()) -> psycopg.Connection[tuple[object, ...]]:
    label = server_label(dsn)
    try:
        return psycopg.connect(
            dsn,
            connect_timeout=timeouts.connect_s,
            options=f"-c statement_timeout={int(timeouts.statement_s * 1000)}",
            application_name="depot-station",
            autocommit=True,  # each conn.transaction() is then a real transaction, committed at its end
        )
    except psycopg.OperationalError as exc:
        raise _explained(label, exc) from None


@contextmanager
def server_errors(dsn: str) -> Iterator[None]:
    """Turn psycopg's errors during a conversation with the server into the station's own."""
    try:
        yield
    except DepotError:
        raise
    except errors.InsufficientPrivilege as exc:
        raise DepotError(f"depot {server_label(dsn)}: refused ({_first_line(exc)}); "
                         "the station's role needs the depot_station role's grants (see station depot init)") from None
    except errors.UndefinedTable:
        raise DepotError(f"depot {server_label(dsn)}: has no depot tables; run station depot init DSN first") from None
    except psycopg.OperationalError as exc:
        raise _explained(server_label(dsn), exc) from None
    except psycopg.Error as exc:
        raise DepotError(f"depot {server_label(dsn)}: {_first_line(exc)}") from None


def _explained(label: str, exc: psycopg.Error) -> DepotError:
    text = _first_line(exc)
    if "authentication" in text or "password" in text or "does not exist" in text:
        return DepotError(f"depot {label}: connection refused ({text}); check the role and database, and give the "
                          "password in PGPASSWORD or ~/.pgpass")
    return DepotUnreachable(f"depot {label}: unreachable ({text}); the station keeps working on its own log")


def _first_line(exc: BaseException) -> str:
    """libpq's first line says what failed; the hints after it are for psql's users."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0].removeprefix("connection failed: ") if lines else type(exc).__name__
