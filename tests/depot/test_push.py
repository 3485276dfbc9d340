"""One record: each record is committed to the station's log first, then pushed in order and in batches,
stored once however often it is pushed, with its hash and signature as written; a fork is refused.
Offline first: with the server stopped every command works, and the backlog drains when it is back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from station.audit.store import Store
from station.audit.verify import verify_log
from station.depot import sync
from station.depot.connection import connect
from tests.depot.conftest import Depot
from tests.depot.helpers import cli, cli_json, depot_count, init, station, write
from tests.depot.pg_server import free_port


def test_records_arrive_as_written_in_order_in_batches_and_once(depot_db: Depot, tmp_path: Path) -> None:
    init(depot_db)
    data_dir = station(tmp_path, depot_db, "bench-1")
    write(data_dir, 7)
    store = Store.open(data_dir)
    try:
        with connect(depot_db.dsn) as conn:
            outcome = sync.push(store, conn, "bench-1", "test", batch=3)
            assert (outcome.pushed, outcome.up_to) == (7, 7)
            # Pushed again from the start (a mark lost with a restored data folder): stored once.
            store.mark_pushed(0)
            assert sync.push(store, conn, "bench-1", "test", batch=3).pushed == 7
        local = {r.seq: (r.hash, r.signature, r.data) for r in store.records_after(0, 100)}
    finally:
        store.close()
    with depot_db.admin() as conn:
        held = {int(seq): (digest, sig, data) for seq, digest, sig, data in
                conn.execute("SELECT seq, hash, signature, data FROM records ORDER BY id")}
        batches = [row[0] for row in conn.execute("SELECT count FROM pushes ORDER BY id")]
        arrival = [row[0] for row in conn.execute("SELECT seq FROM records ORDER BY id")]
    assert held == local
    assert arrival == sorted(arrival)
    assert batches[:3] == [3, 3, 1]


def test_each_command_that_writes_pushes_after_itself(depot_db: Depot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    init(depot_db)
    data_dir = station(tmp_path, depot_db, "bench-1")
    monkeypatch.setenv("STATION_PIN", "482100")
    assert cli(data_dir, "operator", "add", "Ana", "--badge", "100", "--role", "supervisor") == 0
    assert depot_count(depot_db, "kind = 'operator_added'") == 1


def test_offline_every_command_works_and_the_backlog_drains_once(
    depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    init(depot_db)
    data_dir = station(tmp_path, depot_db, "bench-1", records=2)
    depot_db.server.stop()
    try:
        monkeypatch.setenv("STATION_PIN", "482100")
        assert cli(data_dir, "operator", "add", "Ana", "--badge", "100", "--role", "supervisor") == 0
        assert "unreachable" in capsys.readouterr().err
        write(data_dir, 5)
        code, state = cli_json(capsys, data_dir, "depot", "status", "--json")
        assert code == 3 and state["connected"] is False and state["pending"] == 6 and state["joined"] is True
        assert f"127.0.0.1:{depot_db.server.port}/{depot_db.dbname}" in state["error"]
        capsys.readouterr()
        assert cli(data_dir, "history", "R58N12ABCDE", "--json") == 0
        printed = capsys.readouterr()
        assert len(json.loads(printed.out)) == 7 and "this station's records only" in printed.err
        assert cli(data_dir, "log", "verify") == 0
        assert "not compared with the depot" in capsys.readouterr().out
        assert cli(data_dir, "depot", "sync") == 3
    finally:
        depot_db.server.start()
    assert cli(data_dir, "depot", "sync") == 0
    code, state = cli_json(capsys, data_dir, "depot", "status", "--json")
    assert code == 0 and state["connected"] and state["pending"] == 0
    assert [(s["name"], s["records"]) for s in state["stations"]] == [("bench-1", 8)]
    assert state["stations"][0]["last_push"]
    assert depot_count(depot_db) == 8
    assert cli(data_dir, "depot", "sync") == 0 and depot_count(depot_db) == 8


def test_an_unreachable_server_is_named_with_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("PGPASSWORD", "secret-not-shown")
    assert cli(tmp_path, "depot", "join", f"host=127.0.0.1 port={port} dbname=depot user=bench", "--name", "b") == 3
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}/depot" in err and "unreachable" in err and "secret-not-shown" not in err


def test_a_copied_data_folder_is_a_fork_refused_and_reported(depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init(depot_db)
    first = station(tmp_path, depot_db, "bench-1", records=3)
    clone = tmp_path / "clone"
    shutil.copytree(first, clone)
    write(first, 2)
    write(clone, 2)  # records 4 and 5 again, but different ones
    assert cli(first, "depot", "sync") == 0
    capsys.readouterr()
    assert cli(clone, "depot", "sync") == 1
    err = capsys.readouterr().err
    assert "record 4" in err and "fork" in err and "bench-1" in err
    assert depot_count(depot_db) == 5  # nothing of the clone was merged
    assert cli(first, "depot", "verify") == 1
    out = capsys.readouterr().out
    assert "station bench-1: NOT intact: record 4: fork" in out
    # The clone's own log is intact: the fork is between two copies, each of which is a valid chain.
    clone_store = Store.open(clone)
    try:
        assert verify_log(clone_store).ok
    finally:
        clone_store.close()
