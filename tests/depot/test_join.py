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


OTHER_LOGIN = "bench_other"


def other_login(depot: Depot) -> str:
    """A second station login on the server (same password, so PGPASSWORD serves both), and its DSN."""
    with depot.admin() as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [OTHER_LOGIN]).fetchone():
            conn.execute(f"CREATE ROLE {OTHER_LOGIN} LOGIN PASSWORD '{STATION_PASSWORD}' IN ROLE depot_station")
    return depot.dsn.replace("bench@", f"{OTHER_LOGIN}@")


def test_another_login_cannot_write_in_a_stations_name(depot_db: Depot, tmp_path: Path) -> None:
    init(depot_db)
    station(tmp_path, depot_db, "bench-1", records=2)
    bench1 = "(SELECT station_id FROM stations WHERE name = 'bench-1')"
    with psycopg.connect(other_login(depot_db), autocommit=True) as conn:
        for statement in (
            (f"INSERT INTO records (station_id, seq, prev_hash, time, kind, key_id, hash, signature) "
             f"SELECT {bench1}, 3, 'x', 'now', 'scan', 'k', 'h', 's'"),
            f"INSERT INTO station_keys (station_id, key_id, public_pem) SELECT {bench1}, 'forged', 'pem'",
            (f"INSERT INTO documents (kind, name, sha256, content, station_id, published_by) "
             f"SELECT 'policy', 'policy', 'x', 'y', {bench1}, 'Mallory'"),
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (2,)  # reading stays open
    assert depot_count(depot_db) == 2


def test_a_station_is_held_by_the_login_it_joined_with(depot_db: Depot, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1", records=1)
    config = bench1 / CONFIG_NAME
    config.write_text(config.read_text(encoding="utf-8").replace("bench@", f"{OTHER_LOGIN}@"), encoding="utf-8")
    other_login(depot_db)
    write(bench1, 1)
    capsys.readouterr()
    assert cli(bench1, "depot", "sync") != 0
    assert "station bench-1 is held by the database login 'bench', and this station connects as 'bench_other'" in capsys.readouterr().err
    assert depot_count(depot_db) == 1
    assert cli(tmp_path, "depot", "join", other_login(depot_db), "--name", "bench-2") == 0  # its own station, its own login


def test_a_station_joined_before_logins_were_held_is_held_at_its_next_push(depot_db: Depot, tmp_path: Path) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1", records=1)
    with depot_db.admin() as conn:  # as a depot migrated from schema 2 has it: no login holds the station yet
        conn.execute("SET session_replication_role = replica")
        conn.execute("DELETE FROM station_logins")
    write(bench1, 1)
    assert cli(bench1, "depot", "sync") == 0
    assert depot_count(depot_db) == 2
    with depot_db.admin() as conn:
        assert conn.execute("SELECT login FROM station_logins").fetchall() == [("bench",)]
