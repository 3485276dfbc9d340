"""A throw-away PostgreSQL server from Debian's postgresql package: initdb in a temp folder, a free
loopback port, its unix socket in that folder, scram passwords. For tests/depot/conftest.py and
bench/depot_bench.py. Raises ServerUnavailable with the reason when it cannot be had."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

SUPERUSER, SUPER_PASSWORD = "depot_admin", "admin-secret-1"
STATION_ROLE, STATION_PASSWORD = "bench", "bench-secret-2"


class ServerUnavailable(Exception):
    """No PostgreSQL server could be started here; the message says why."""


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

    def admin(self, dbname: str = "postgres") -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.admin_dsn(dbname), password=SUPER_PASSWORD, autocommit=True, connect_timeout=5)

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args],
                              check=False, capture_output=True, text=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        done = self.pg_ctl("-w", "-t", "30", "-l", str(self.folder / "server.log"), "-o", options, "start")
        if done.returncode != 0:
            log_file = self.folder / "server.log"
            log = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            raise ServerUnavailable(f"pg_ctl start failed ({done.returncode}): {done.stderr.strip()} {log}")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-w", "-m", mode, "stop")

    def alive(self) -> bool:
        return self.pg_ctl("status").returncode == 0

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def remove(self) -> None:
        if self.alive():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> Server:
    """initdb and start a new server, with a superuser and the stations' login role."""
    bindir = _bindir()
    run_as, owner = _owner()
    folder = Path(tempfile.mkdtemp(prefix="depot-pg-"))  # in /tmp: the postgres user must reach it
    password_file = folder / "pw"
    password_file.write_text(SUPER_PASSWORD + "\n")
    if owner is not None:
        os.chown(folder, *owner)
        os.chown(password_file, *owner)
    init = subprocess.run(
        [*run_as, str(bindir / "initdb"), "-D", str(folder / "data"), "-U", SUPERUSER, "--pwfile", str(password_file),
         "--auth=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C"],
        check=False, capture_output=True, text=True, timeout=120,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise ServerUnavailable(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
    server = Server(bindir, folder, _free_port(), run_as)
    try:
        server.start()
        with server.admin() as conn:
            conn.execute(f"CREATE ROLE {STATION_ROLE} LOGIN PASSWORD '{STATION_PASSWORD}'")
    except (ServerUnavailable, psycopg.Error) as exc:
        server.remove()
        raise ServerUnavailable(f"the PostgreSQL server did not start: {exc}") from None
    return server


def free_port() -> int:
    return _free_port()


def _bindir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise ServerUnavailable("PostgreSQL's initdb was not found: install Debian's postgresql package (apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _owner() -> tuple[list[str], tuple[int, int] | None]:
    """initdb and postgres refuse to run as root: as root, run them as the postgres user (Debian's package makes it)."""
    if os.geteuid() != 0:
        return [], None
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        raise ServerUnavailable("running as root, and there is no postgres user to own the server (apt-get install postgresql)") from None
    return ["runuser", "-u", "postgres", "--"], (entry.pw_uid, entry.pw_gid)
