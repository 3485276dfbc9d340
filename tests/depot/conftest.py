"""A real PostgreSQL server for the depot's tests: Debian's postgresql package, initdb in a temp folder,
a free loopback port, its unix socket in that folder, password authentication (scram) so that PGPASSWORD
is what the station uses. One server per session; each test gets a database of its own.

If the server cannot be started the tests FAIL with the reason: CI must run them, never skip them.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

SUPERUSER, SUPER_PASSWORD = "depot_admin", "admin-secret-1"
STATION_ROLE, STATION_PASSWORD = "bench", "bench-secret-2"
_numbers = itertools.count(1)


@dataclass
class Server:
    bindir: Path
    folder: Path
    port: int
    run_as: list[str]  # the prefix that runs a command as the server's owner (initdb refuses root)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def admin_dsn(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} dbname={dbname} user={SUPERUSER}"

    def station_dsn(self, dbname: str) -> str:
        return f"postgresql://{STATION_ROLE}@127.0.0.1:{self.port}/{dbname}"

    def admin(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.admin_dsn(dbname), password=SUPER_PASSWORD, autocommit=True, connect_timeout=5)

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args],
                              capture_output=True, text=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        done = self.pg_ctl("-w", "-t", "30", "-l", str(self.folder / "server.log"), "-o", options, "start")
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:] if (self.folder / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed ({done.returncode}): {done.stderr.strip()} {log}")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-w", "-m", mode, "stop")

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])


def _bindir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    pytest.fail("PostgreSQL's initdb was not found: install Debian's postgresql package (apt-get install postgresql)", pytrace=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _owner() -> tuple[list[str], int | None, int | None]:
    """initdb and postgres refuse to run as root: run them as the postgres user (Debian's package makes it)."""
    if os.geteuid() != 0:
        return [], None, None
    import pwd

    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root, and there is no postgres user to own the test server (apt-get install postgresql)", pytrace=False)
    return ["runuser", "-u", "postgres", "--"], entry.pw_uid, entry.pw_gid


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    bindir = _bindir()
    run_as, uid, gid = _owner()
    folder = Path(tempfile.mkdtemp(prefix="depot-pg-"))  # in /tmp: the postgres user must reach it
    try:
        password_file = folder / "pw"
        password_file.write_text(SUPER_PASSWORD + "\n")
        if uid is not None and gid is not None:
            os.chown(folder, uid, gid)
            os.chown(password_file, uid, gid)
        init = subprocess.run(
            [*run_as, str(bindir / "initdb"), "-D", str(folder / "data"), "-U", SUPERUSER, "--pwfile", str(password_file),
             "--auth=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C"],
            capture_output=True, text=True, timeout=120,
        )
        if init.returncode != 0:
            pytest.fail(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}", pytrace=False)
        server = Server(bindir, folder, _free_port(), run_as)
        try:
            server.start()
        except RuntimeError as exc:
            pytest.fail(f"the test PostgreSQL server did not start: {exc}", pytrace=False)
        with server.admin() as conn:
            conn.execute(f"CREATE ROLE {STATION_ROLE} LOGIN PASSWORD '{STATION_PASSWORD}'")
        yield server
        server.stop("immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return self.server.admin(self.dbname)


@pytest.fixture
def depot_db(pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> Depot:
    """A fresh, empty database; the station's password comes from PGPASSWORD as libpq finds it."""
    if not _alive(pg_server):
        pg_server.start()  # a test that stopped or killed the server leaves it for the next one to restart
    name = f"depot_{os.getpid()}_{next(_numbers)}"
    with pg_server.admin() as conn:
        conn.execute(f"CREATE DATABASE {name}")
    monkeypatch.setenv("PGPASSWORD", STATION_PASSWORD)
    monkeypatch.delenv("PGPASSFILE", raising=False)
    return Depot(pg_server, name)


def _alive(server: Server) -> bool:
    return server.pg_ctl("status").returncode == 0
