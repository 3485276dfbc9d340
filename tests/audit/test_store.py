from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from station.audit.records import RecordKind
from station.audit.store import DB_NAME, MIGRATIONS, Store
from station.core.errors import StationError
from station.core.models import DeviceIdentity, Platform
from station.workbench.datadir import resolve_data_dir

PHONE = DeviceIdentity(Platform.ANDROID, "R58N12ABCDE", "samsung", "SM-S911W", "14", "34", "2024-09-01")


def test_records_survive_reopening_with_run_and_identity(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    run = store.start_run("scan", None)
    store.record(run, RecordKind.SCAN, address="127.0.0.1:40000", platform="android", identity=PHONE, data={"app_count": 3})
    store.record(run, RecordKind.ERROR, address="127.0.0.1:40001", platform="android", identity=None, data={"error": "x"})
    store.finish_run(run, "clean")
    station_id = store.station_id
    store.close()

    reopened = Store.open(tmp_path)
    assert reopened.station_id == station_id
    (record,) = list(reopened.records(serial="R58N12ABCDE"))
    assert record.kind == "scan" and record.run_id == run
    assert record.identity is not None and record.identity["model"] == "SM-S911W"
    assert record.data == {"app_count": 3}
    assert len(list(reopened.records())) == 2
    assert reopened.run(run).outcome == "clean"
    reopened.close()


def test_each_record_carries_its_own_runs_policy(tmp_path: Path) -> None:
    """Records of runs under different policies, interleaved, each carry their run's policy hash."""
    store = Store.open(tmp_path)
    first, second = store.start_run("scan", None), store.start_run("scan", None)
    store.db.table("runs").update(second, {"policy_sha256": "b" * 64})
    for run in (first, second, first, second):
        store.record(run, RecordKind.SCAN, address="127.0.0.1:40000", platform="android", identity=PHONE, data={})
    assert [(r.run_id, r.policy_sha256) for r in store.records()] == [(first, None), (second, "b" * 64)] * 2
    store.close()


def test_log_file_is_owner_only(tmp_path: Path) -> None:
    data_dir = resolve_data_dir(tmp_path / "data")
    Store.open(data_dir).close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / DB_NAME).stat().st_mode) == 0o600


def test_schema_version_follows_migrations(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_log_from_a_newer_station_is_refused_not_damaged(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StationError, match="newer Depot Station"):
        Store.open(tmp_path)


def test_a_file_that_is_not_a_database_gets_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StationError, match=f"log {tmp_path / DB_NAME}"):
        Store.open(tmp_path)


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path / "env-dir"))
    assert resolve_data_dir() == tmp_path / "env-dir"
    assert resolve_data_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_search_by_serial_or_identity_text_newest_first(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    run = store.start_run("scan", None)
    other = DeviceIdentity(Platform.IOS, "00008110-001A2B3C4D5E801E", "Apple", "iPhone15,2", "17.5", imei="356789012345678")
    store.record(run, RecordKind.SCAN, address="a", platform="android", identity=PHONE, data={})
    store.record(run, RecordKind.SCAN, address="b", platform="ios", identity=other, data={})
    store.record(run, RecordKind.VERIFICATION, address="a", platform="android", identity=PHONE, data={})
    assert [r.kind for r in store.search("58N12")] == ["verification", "scan"]
    assert [r.serial for r in store.search("3567890123")] == [other.serial]
    assert list(store.search("%")) == []  # a wildcard typed by the operator is a literal character
    store.close()


WRITE_ELSEWHERE = """
import sys
from pathlib import Path
from station.audit.records import RecordKind
from station.audit.store import Store
store = Store.open(Path(sys.argv[1]))
store.record(store.start_run("elsewhere", None), RecordKind.SCAN, address="a", platform="", identity=None, data={})
store.close()
"""


def test_opening_the_log_again_leaves_this_processs_hold_on_it(tmp_path: Path) -> None:
    """A second Store.open in a process (the window's device process opens one per push) closes no
    descriptor of an existing log: closing one drops every POSIX lock the process holds on the file, and
    another process closing its last connection would then checkpoint and delete the -wal the first
    connection still writes to, so its records would be seen by nobody else."""
    held = Store.open(tmp_path)
    run = held.start_run("bench", None)
    Store.open(tmp_path).close()
    subprocess.run([sys.executable, "-c", WRITE_ELSEWHERE, str(tmp_path)], check=True, timeout=60)
    held.record(run, RecordKind.SCAN, address="b", platform="", identity=None, data={})
    fresh = Store.open(tmp_path)
    try:
        assert held.last_seq() == fresh.last_seq() == 2
    finally:
        fresh.close()
        held.close()
