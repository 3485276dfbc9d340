"""Shared operators: an operator added at one station signs in at every station of the depot, a lock
holds everywhere, and a station offline keeps the copy it had."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.audit.operators import OperatorError, Operators
from station.audit.store import Store
from tests.depot.conftest import Depot
from tests.depot.helpers import cli, init, station


def sign_in(data_dir: Path, badge: str, pin: str) -> str:
    store = Store.open(data_dir)
    try:
        return Operators(store).authenticate(badge, pin).name
    finally:
        store.close()


def test_an_operator_added_at_one_station_signs_in_at_every_station(
    depot_db: Depot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    monkeypatch.setenv("STATION_PIN", "482100")
    assert cli(bench1, "operator", "add", "Ana", "--badge", "100", "--role", "supervisor") == 0  # shared after the command
    bench2 = station(tmp_path, depot_db, "bench-2")  # joining adopts the depot's operators
    assert sign_in(bench2, "100", "482100") == "Ana"
    # Ana, a supervisor known at bench 2 through the depot, adds Bo there; bench 1 has him after a sync.
    monkeypatch.setenv("STATION_SUPERVISOR_PIN", "482100")
    monkeypatch.setenv("STATION_PIN", "737300")
    assert cli(bench2, "operator", "add", "Bo", "--badge", "101", "--supervisor", "100") == 0
    assert cli(bench1, "depot", "sync") == 0
    assert sign_in(bench1, "Bo", "737300") == "Bo"
    with pytest.raises(OperatorError, match="wrong PIN"):
        sign_in(bench1, "Bo", "000000")
    # Offline, bench 1 keeps its copy.
    depot_db.server.stop()
    try:
        assert sign_in(bench1, "101", "737300") == "Bo"
    finally:
        depot_db.server.start()


def test_a_lock_at_one_station_holds_at_the_others(depot_db: Depot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    monkeypatch.setenv("STATION_PIN", "482100")
    assert cli(bench1, "operator", "add", "Ana", "--badge", "100", "--role", "supervisor") == 0
    bench2 = station(tmp_path, depot_db, "bench-2")
    for _ in range(5):
        with pytest.raises(OperatorError):
            sign_in(bench1, "100", "000000")
    assert cli(bench1, "depot", "sync") == 0
    assert cli(bench2, "depot", "sync") == 0
    with pytest.raises(OperatorError, match="locked"):
        sign_in(bench2, "100", "482100")


def test_a_pin_set_again_at_one_station_is_the_one_every_station_asks_for(
    depot_db: Depot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    monkeypatch.setenv("STATION_PIN", "482100")
    assert cli(bench1, "operator", "add", "Ana", "--badge", "100", "--role", "supervisor") == 0
    bench2 = station(tmp_path, depot_db, "bench-2")
    monkeypatch.setenv("STATION_NEW_PIN", "905117")
    assert cli(bench1, "operator", "pin", "100") == 0  # shared by the push after the command
    assert cli(bench2, "depot", "sync") == 0
    assert sign_in(bench2, "100", "905117") == "Ana"
    with pytest.raises(OperatorError, match="wrong PIN"):
        sign_in(bench2, "100", "482100")  # the old PIN no longer opens bench 2 either
    assert cli(bench1, "depot", "sync") == 0  # bench 1's own, newer PIN is not replaced by an older copy
    assert sign_in(bench1, "100", "905117") == "Ana"


def test_init_migrates_a_version_1_depot_to_the_current_schema(depot_db: Depot, capsys: pytest.CaptureFixture[str]) -> None:
    from station.depot import schema
    from station.depot.connection import connect
    from tests.depot.pg_server import SUPER_PASSWORD

    with pytest.MonkeyPatch.context() as patched:
        patched.setenv("PGPASSWORD", SUPER_PASSWORD)
        patched.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        patched.setattr(schema, "SCHEMA_VERSION", 1)
        with connect(depot_db.admin_dsn) as conn:
            assert schema.init_schema(conn, []).to_version == 1
    init(depot_db)
    assert f"migrated from version 1 to {schema.SCHEMA_VERSION}" in capsys.readouterr().out
    with depot_db.admin() as conn:
        assert conn.execute("SELECT value FROM depot_meta WHERE key = 'schema_version'").fetchone() == (str(schema.SCHEMA_VERSION),)
        assert conn.execute("SELECT to_regclass('operators') IS NOT NULL").fetchone() == (True,)
