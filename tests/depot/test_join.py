"""Joining: init creates or migrates the schema (again and again), join registers the station and keeps
its DSN without any password, and a station that has not joined works as before."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from station.depot.config import CONFIG_NAME
from station.depot.schema import SCHEMA_VERSION, append_only_tables
from tests.depot.conftest import Depot
from tests.depot.helpers import cli, cli_json, depot_count, init, station, write
from tests.depot.pg_server import STATION_PASSWORD, SUPER_PASSWORD


def test_init_creates_the_schema_and_is_idempotent(depot_db: Depot, capsys: pytest.CaptureFixture[str]) -> None:
    init(depot_db)
    assert f"migrated from version 0 to {SCHEMA_VERSION}" in capsys.readouterr().out
    init(depot_db)
    assert f"already at version {SCHEMA_VERSION}" in capsys.readouterr().out
    with depot_db.admin() as conn:
        tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        granted = {row[0] for row in conn.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'depot_station' AND table_name = 'records'")}
    assert {"depot_meta", *append_only_tables()} <= tables
    assert granted == {"SELECT", "INSERT"}


def test_join_refuses_a_dsn_with_a_password(depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init(depot_db)
    with_password = depot_db.dsn.replace("bench@", f"bench:{STATION_PASSWORD}@")
    assert cli(tmp_path, "depot", "join", with_password, "--name", "bench-1") == 2
    err = capsys.readouterr().err
    assert "PGPASSWORD" in err and ".pgpass" in err and STATION_PASSWORD not in err
    assert not (tmp_path / CONFIG_NAME).exists()


def test_join_keeps_the_dsn_without_password_and_registers_key_and_records(depot_db: Depot, tmp_path: Path) -> None:
    init(depot_db)
    data_dir = station(tmp_path, depot_db, "bench-1", records=3)
    assert depot_count(depot_db) == 3
    for file in data_dir.iterdir():
        if file.is_file():
            assert STATION_PASSWORD.encode() not in file.read_bytes(), file
            assert SUPER_PASSWORD.encode() not in file.read_bytes(), file
    assert depot_db.dsn in (data_dir / CONFIG_NAME).read_text()
    with depot_db.admin() as conn:
        names = conn.execute("SELECT s.name, count(k.key_id) FROM stations s JOIN station_keys k USING (station_id) "
                             "GROUP BY s.name").fetchall()
    assert names == [("bench-1", 1)]
    # Joining again under the same name changes nothing; another name for the same station is refused.
    assert cli(data_dir, "depot", "join", depot_db.dsn, "--name", "bench-1") == 0
    assert cli(data_dir, "depot", "join", depot_db.dsn, "--name", "bench-9") == 2
    assert depot_count(depot_db) == 3


def test_a_second_station_cannot_take_a_name_already_used(depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init(depot_db)
    station(tmp_path, depot_db, "bench-1")
    other = tmp_path / "other"
    other.mkdir()
    assert cli(other, "depot", "join", depot_db.dsn, "--name", "bench-1") == 2
    assert "already named 'bench-1'" in capsys.readouterr().err


def test_join_before_init_says_to_run_init(depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(tmp_path, "depot", "join", depot_db.dsn, "--name", "bench-1") == 2
    err = capsys.readouterr().err
    assert "station depot init" in err and f"127.0.0.1:{depot_db.server.port}/{depot_db.dbname}" in err


def test_a_station_role_may_insert_and_select_but_never_update_or_delete(depot_db: Depot, tmp_path: Path) -> None:
    init(depot_db)
    station(tmp_path, depot_db, "bench-1", records=2)
    with psycopg.connect(depot_db.dsn, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (2,)
        for statement in ("UPDATE records SET data = '{}'", "DELETE FROM records", "TRUNCATE records",
                          "DELETE FROM stations", "UPDATE pushes SET count = 0"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    # The owner may not either: the trigger refuses everyone but a superuser who switches it off.
    with depot_db.admin() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        conn.execute("UPDATE records SET data = '{}'")
    assert depot_count(depot_db) == 2


def test_a_station_that_has_not_joined_works_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, 2)
    code, state = cli_json(capsys, tmp_path, "depot", "status", "--json")
    assert code == 0 and state["joined"] is False and state["local_seq"] == 2
    code, entries = cli_json(capsys, tmp_path, "history", "R58N12ABCDE", "--json")
    assert code == 0 and [(e["station"], e["seq"]) for e in entries] == [("local", 1), ("local", 2)]
    assert cli(tmp_path, "log", "verify") == 0
    assert cli(tmp_path, "depot", "sync") == 2
    assert "has not joined a depot" in capsys.readouterr().err
