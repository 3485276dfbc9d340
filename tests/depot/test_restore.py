"""`station log restore --from-depot`: a joined station's damaged or lost log rebuilt from the depot's
copy of its records, checked whole before it replaces anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from station.audit.store import DB_NAME, Store
from tests.depot.conftest import Depot
from tests.depot.helpers import cli, init, station, write
from tests.depot.test_history_verify import superuser


def hashes(data_dir: Path) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        return [(int(seq), str(digest), str(signature)) for seq, digest, signature in
                conn.execute("SELECT seq, hash, signature FROM records ORDER BY seq")]
    finally:
        conn.close()


def depot_hashes(depot: Depot) -> list[tuple[int, str, str]]:
    with depot.admin() as conn:
        return [(int(seq), str(digest), str(signature)) for seq, digest, signature in
                conn.execute("SELECT seq, hash, signature FROM records ORDER BY seq").fetchall()]


def test_a_damaged_log_is_rebuilt_from_the_depot_and_the_station_carries_on(
    depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    init(depot_db)
    bench = station(tmp_path, depot_db, "bench-1", records=6)
    monkeypatch.setenv("STATION_PIN", "482913")
    assert cli(bench, "operator", "add", "Ana Tremblay", "--badge", "1001", "--role", "supervisor") == 0
    assert cli(bench, "depot", "sync") == 0
    pushed = hashes(bench)
    assert depot_hashes(depot_db) == pushed and len(pushed) == 7  # the six scans and the operator's record
    (bench / DB_NAME).write_bytes(b"not a database at all" * 200)
    capsys.readouterr()

    assert cli(bench, "log", "verify") == 2
    assert "station log restore --from-depot" in capsys.readouterr().err  # the damaged log's message names the depot

    assert cli(bench, "log", "restore", "--from-depot") == 0
    out = capsys.readouterr().out
    assert "rebuilt from depot" in out and "7 records" in out and "replaced-" in out
    assert hashes(bench) == pushed  # byte for byte: every hash and signature as the station wrote them
    assert [p.read_bytes()[:21] for p in bench.glob(f"{DB_NAME}.replaced-*")] == [b"not a database at all"]
    assert cli(bench, "log", "verify") == 0
    assert "log intact: 7 records" in capsys.readouterr().out
    assert cli(bench, "operator", "list") == 0
    assert "Ana Tremblay" in capsys.readouterr().out  # the operators come back from the depot too

    write(bench, 2)
    assert cli(bench, "depot", "sync") == 0  # carries on where it was: no fork, no second key
    assert depot_hashes(depot_db) == hashes(bench) and len(hashes(bench)) == 9
    store = Store.open(bench)
    try:
        assert len(store.public_keys()) == 1
    finally:
        store.close()


def test_a_depot_copy_that_does_not_verify_is_refused_and_nothing_is_replaced(
    depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    init(depot_db)
    bench = station(tmp_path, depot_db, "bench-1", records=4)
    superuser(depot_db, "UPDATE records SET data = '{\"n\": 99}' WHERE seq = 3")
    (bench / DB_NAME).unlink()
    capsys.readouterr()
    assert cli(bench, "log", "restore", "--from-depot") == 2
    err = capsys.readouterr().err
    assert "do not verify" in err and "record 3" in err and "edited" in err
    assert not (bench / DB_NAME).exists() and not list(bench.glob(".*restoring"))


def test_a_readable_log_holding_records_the_depot_lacks_is_not_replaced(
    depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    init(depot_db)
    bench = station(tmp_path, depot_db, "bench-1", records=3)
    write(bench, 2)  # not pushed yet
    before = hashes(bench)
    capsys.readouterr()
    assert cli(bench, "log", "restore", "--from-depot") == 2
    assert "push it first" in capsys.readouterr().err
    assert hashes(bench) == before and not list(bench.glob(f"{DB_NAME}.replaced-*"))


def test_restore_from_the_depot_needs_a_joined_station(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(tmp_path, "log", "restore", "--from-depot") == 2
    assert "has not joined a depot" in capsys.readouterr().err
    assert cli(tmp_path, "log", "restore") == 2
    assert "name a backup FOLDER, or give --from-depot" in capsys.readouterr().err
