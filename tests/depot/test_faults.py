"""Faults: the server killed (SIGKILL) in the middle of a push, a station killed in the middle of one, a
station killed between a batch's commit and its mark. After each, a push again leaves every record in the
depot exactly once, and the depot verifies."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from station.audit.store import Store
from station.depot import sync
from station.workbench.depot_link import sync_now
from tests.depot.conftest import Depot
from tests.depot.helpers import cli, depot_count, init, station, write
from tests.depot.pg_server import Server


def kill_server(server: Server) -> None:
    """SIGKILL the postmaster and every backend, as a crash or the OOM killer would."""
    postmaster = server.postmaster_pid()
    for pid in [postmaster, *children_of(postmaster)]:
        with contextlib.suppress(ProcessLookupError):  # a backend that ended on its own meanwhile
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and server.alive():
        time.sleep(0.05)


def children_of(parent: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue  # gone meanwhile
        if fields.get("PPid", "").strip() == str(parent):
            found.append(int(status.parent.name))
    return found


def station_sync(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "station", "--data-dir", str(data_dir), "depot", "sync"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())


def hold_pushes(depot: Depot) -> psycopg.Connection[tuple[Any, ...]]:
    """Block every push at its last statement (the pushes row), so the station is caught mid-batch:
    its records are inserted but not committed."""
    conn = depot.admin()
    conn.execute("BEGIN")
    conn.execute("LOCK TABLE pushes IN SHARE ROW EXCLUSIVE MODE")
    return conn


def wait_until_blocked(depot: Depot, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with depot.admin() as conn:
            row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'depot-station' "
                               "AND wait_event_type = 'Lock'").fetchone()
        if row and row[0]:
            return
        time.sleep(0.05)
    pytest.fail("the station's push never reached the held lock")


def backlog(tmp_path: Path, depot: Depot, records: int) -> Path:
    init(depot)
    data_dir = station(tmp_path, depot, "bench-1", records=2)
    write(data_dir, records)
    return data_dir


def test_server_killed_mid_push_loses_and_doubles_nothing(depot_db: Depot, tmp_path: Path) -> None:
    data_dir = backlog(tmp_path, depot_db, 40)
    holder = hold_pushes(depot_db)
    pusher = station_sync(data_dir)
    try:
        wait_until_blocked(depot_db)
        kill_server(depot_db.server)
        _, err = pusher.communicate(timeout=30)
        assert pusher.returncode == 3, err
        assert "unreachable" in err
    finally:
        pusher.kill()
        pusher.communicate()
        with contextlib.suppress(psycopg.Error):  # its server was killed under it
            holder.close()
    depot_db.server.start()  # crash recovery: the half-pushed batch was never committed
    assert depot_count(depot_db) == 2
    assert cli(data_dir, "depot", "sync") == 0
    assert depot_count(depot_db) == 42
    assert cli(data_dir, "depot", "verify") == 0


def test_station_killed_mid_push_loses_and_doubles_nothing(depot_db: Depot, tmp_path: Path) -> None:
    data_dir = backlog(tmp_path, depot_db, 40)
    holder = hold_pushes(depot_db)
    pusher = station_sync(data_dir)
    try:
        wait_until_blocked(depot_db)
        pusher.send_signal(signal.SIGKILL)
        pusher.communicate(timeout=10)
        assert pusher.returncode == -signal.SIGKILL
    finally:
        pusher.kill()
        pusher.communicate()
        holder.rollback()
        holder.close()
    assert depot_count(depot_db) == 2  # the killed station's batch was rolled back by the server
    assert cli(data_dir, "depot", "sync") == 0
    assert depot_count(depot_db) == 42
    assert cli(data_dir, "depot", "verify") == 0


def test_a_batch_committed_but_not_marked_is_pushed_again_and_stored_once(
    depot_db: Depot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = backlog(tmp_path, depot_db, 10)
    marks: list[int] = []

    def killed_before_marking(self: Store, seq: int) -> None:
        marks.append(seq)
        raise KeyboardInterrupt  # the station dies right after the depot committed the batch

    with monkeypatch.context() as patched:
        patched.setattr(Store, "mark_pushed", killed_before_marking)
        patched.setattr(sync, "BATCH", 4)
        store = Store.open(data_dir)
        try:
            with pytest.raises(KeyboardInterrupt):
                sync_now(data_dir, store)
        finally:
            store.close()
    assert marks == [6] and depot_count(depot_db) == 6
    assert cli(data_dir, "depot", "sync") == 0
    assert depot_count(depot_db) == 12
    assert cli(data_dir, "depot", "verify") == 0
