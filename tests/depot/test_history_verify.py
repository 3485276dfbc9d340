"""Depot-wide history, and verification across stations: each tampering with the depot's copy (by its
superuser, the only one who can) is named with the station, the record and what is wrong; records cut
from the end of a station's own log are named by `station log verify`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from station.audit.records import RecordKind
from station.audit.store import DB_NAME
from tests.depot.conftest import Depot
from tests.depot.helpers import OTHER, PHONE, cli, cli_json, init, station, write


def test_history_lists_a_phone_from_every_station_oldest_first(depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    bench2 = station(tmp_path, depot_db, "bench-2")
    write(bench1, 2, kind=RecordKind.CHECKLIST)  # provisioned at bench 1
    write(bench1, 1, phone=OTHER)
    assert cli(bench1, "depot", "sync") == 0
    write(bench2, 1, kind=RecordKind.RETURN_INTAKE)  # returned at bench 2, not yet pushed
    code, entries = cli_json(capsys, bench2, "history", PHONE.serial, "--json")
    assert code == 0
    assert [(e["station"], e["seq"], e["kind"]) for e in entries] == [
        ("bench-1", 1, "checklist"), ("bench-1", 2, "checklist"), ("bench-2", 1, "return_intake")]
    assert all(e["serial"] == PHONE.serial and e["time"] for e in entries)
    assert [e["time"] for e in entries] == sorted(e["time"] for e in entries)
    for reader in (bench1, bench2):  # from its own log, and through the depot
        code, by_imei = cli_json(capsys, reader, "history", OTHER.imei or "", "--json")
        assert [(e["station"], e["seq"], e["serial"], e["imei"]) for e in by_imei] == [("bench-1", 3, OTHER.serial, OTHER.imei)]


def superuser(depot: Depot, *statements: str) -> None:
    """Change the depot's copy as its superuser can: with the append-only triggers switched off."""
    with depot.admin() as conn:
        conn.execute("SET session_replication_role = replica")
        for statement in statements:
            conn.execute(statement)


@pytest.fixture
def two_stations(depot_db: Depot, tmp_path: Path) -> tuple[Path, Path]:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1", records=6)
    bench2 = station(tmp_path, depot_db, "bench-2", records=4)
    return bench1, bench2


def test_an_untouched_depot_verifies_with_its_counts(two_stations: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(two_stations[0], "depot", "verify") == 0
    out = capsys.readouterr().out
    assert "station bench-1: intact, 6 records" in out and "station bench-2: intact, 4 records" in out
    assert "depot intact: 2 station(s), 10 records" in out


BENCH1 = "(SELECT station_id FROM stations WHERE name = 'bench-1')"


@pytest.mark.parametrize(
    ("tamper", "words"),
    [
        (f"UPDATE records SET data = '{{\"n\": 99}}' WHERE seq = 3 AND station_id = {BENCH1}",
         "record 3 (depot row 3): its content does not match its hash: edited"),
        (f"UPDATE records SET operator = 'Mallory' WHERE seq = 2 AND station_id = {BENCH1}",
         "record 2 (depot row 2): its content does not match its hash: edited"),
        (f"DELETE FROM records WHERE seq = 4 AND station_id = {BENCH1}", "record 5 (depot row 5): record 4 before it is missing: deleted"),
        (f"DELETE FROM records WHERE seq >= 5 AND station_id = {BENCH1}",
         "records 5 to 6 were pushed but are no longer in the depot: deleted"),
        ((f"UPDATE records SET seq = -2 WHERE seq = 2 AND station_id = {BENCH1}; "
          f"UPDATE records SET seq = 2 WHERE seq = 3 AND station_id = {BENCH1}; "
          f"UPDATE records SET seq = 3 WHERE seq = -2 AND station_id = {BENCH1}"),
         "record 3 (depot row 2): record 2 is stored after record 3: records were reordered"),
        ((f"UPDATE records SET signature = (SELECT signature FROM records WHERE seq = 1 AND station_id = {BENCH1}) "
          f"WHERE seq = 5 AND station_id = {BENCH1}"), "record 5 (depot row 5): its signature does not verify"),
        (("INSERT INTO records (station_id, seq, prev_hash, time, kind, key_id, hash, signature) "
          f"SELECT station_id, 7, hash, time, kind, key_id, hash, signature FROM records WHERE seq = 6 AND station_id = {BENCH1}"),
         "record 7 (depot row 11): its content does not match its hash: edited"),
    ],
    ids=["edited-data", "edited-operator", "deleted", "deleted-tail", "reordered", "bad-signature", "inserted"],
)
def test_each_tampering_is_named_with_station_and_record(
    two_stations: tuple[Path, Path], depot_db: Depot, capsys: pytest.CaptureFixture[str], tamper: str, words: str
) -> None:
    superuser(depot_db, tamper)
    assert cli(two_stations[1], "depot", "verify") == 1
    out = capsys.readouterr().out
    assert f"station bench-1: NOT intact: {words}" in out
    assert "station bench-2: intact, 4 records" in out and "depot NOT intact: 1 of 2" in out


def test_verify_needs_no_joined_station_given_the_dsn(two_stations: tuple[Path, Path], depot_db: Depot, tmp_path: Path) -> None:
    assert cli(tmp_path / "fresh", "depot", "verify", depot_db.dsn) == 0


def test_log_verify_names_records_cut_from_the_end_of_the_local_log(
    two_stations: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    bench1 = two_stations[0]
    conn = sqlite3.connect(bench1 / DB_NAME)
    with conn:
        conn.execute("DELETE FROM records WHERE seq >= 5")
    conn.close()
    capsys.readouterr()
    assert cli(bench1, "log", "verify") == 1
    out = capsys.readouterr().out
    assert "log intact: 4 records" in out  # the chain alone cannot see it
    assert "records 5 to 6 were deleted from its end" in out
    assert "the depot holds records 5 to 6 of this station, missing from the end of this log: deleted" in out


def test_log_verify_of_a_joined_station_compares_with_the_depot(two_stations: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli(two_stations[0], "log", "verify") == 0
    assert "holds records up to 6" in capsys.readouterr().out




def test_a_second_verify_checks_only_new_signatures_and_still_catches_old_tampering(
    two_stations: tuple[Path, Path], depot_db: Depot, capsys: pytest.CaptureFixture[str]
) -> None:
    bench1, bench2 = two_stations
    assert cli(bench2, "depot", "verify") == 0
    write(bench1, 2)
    assert cli(bench1, "depot", "sync") == 0
    capsys.readouterr()
    assert cli(bench2, "depot", "verify") == 0
    out = capsys.readouterr().out
    assert "station bench-1: intact, 8 records, every hash and signature checks (2 signatures checked now, 6 on earlier runs)" in out
    assert cli(bench2, "depot", "verify", "--full") == 0
    assert "(2 signatures" not in capsys.readouterr().out
    superuser(depot_db, f"UPDATE records SET operator = 'Mallory' WHERE seq = 2 AND station_id = {BENCH1}")
    assert cli(bench2, "depot", "verify") == 1
    assert "station bench-1: NOT intact: record 2 (depot row 2): its content does not match its hash: edited" in capsys.readouterr().out


def test_verified_rows_stored_again_differently_are_named_though_each_still_checks(
    two_stations: tuple[Path, Path], depot_db: Depot, capsys: pytest.CaptureFixture[str]
) -> None:
    bench2 = two_stations[1]
    assert cli(bench2, "depot", "verify") == 0
    # Deleted and inserted again in the same order under new row numbers: every hash, link and signature
    # still checks, but these are not the rows verified before.
    superuser(depot_db, f"UPDATE records SET id = id + 1000 WHERE station_id = {BENCH1}")
    capsys.readouterr()
    assert cli(bench2, "depot", "verify") == 1
    said = capsys.readouterr().out
    assert ("station bench-1: NOT intact: records 1 to 6, verified here before, are no longer stored as they were then, "
            "though each still checks: rewritten in the depot") in said
    assert "station bench-2: intact, 4 records" in said


def test_records_deleted_below_the_checkpoint_are_named(two_stations: tuple[Path, Path], depot_db: Depot,
    capsys: pytest.CaptureFixture[str]) -> None:
    bench2 = two_stations[1]
    assert cli(bench2, "depot", "verify") == 0
    superuser(depot_db, f"DELETE FROM records WHERE seq >= 5 AND station_id = {BENCH1}",
              f"DELETE FROM pushes WHERE station_id = {BENCH1}")  # the push history too: only the checkpoint remembers
    capsys.readouterr()
    assert cli(bench2, "depot", "verify") == 1
    said = capsys.readouterr().out
    assert "station bench-1: NOT intact: records 5 to 6, verified here before, are no longer in the depot: deleted" in said


def test_a_second_key_registered_for_a_station_is_named(two_stations: tuple[Path, Path], depot_db: Depot,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from station.audit.signing import key_id, public_pem

    forged = Ed25519PrivateKey.generate().public_key()
    with psycopg.connect(depot_db.dsn, autocommit=True) as conn:  # as a station may: INSERT is granted
        conn.execute(f"INSERT INTO station_keys (station_id, key_id, public_pem) SELECT {BENCH1}, %s, %s",
                     [key_id(forged), public_pem(forged)])
    capsys.readouterr()
    assert cli(two_stations[1], "depot", "verify") == 1
    assert "station bench-1: NOT intact: 2 keys are registered for it" in capsys.readouterr().out


def test_a_quick_depot_check_reads_every_record_and_still_names_an_edit(two_stations: tuple[Path, Path], depot_db: Depot,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    bench2 = two_stations[1]
    capsys.readouterr()
    assert cli(bench2, "depot", "verify", "--quick") == 0
    assert "station bench-1: intact, 6 records, every hash checks and the signatures of its 1 head(s)" in capsys.readouterr().out
    superuser(depot_db, f"UPDATE records SET operator = 'Mallory' WHERE seq = 2 AND station_id = {BENCH1}")
    assert cli(bench2, "depot", "verify", "--quick") == 1
    assert "station bench-1: NOT intact: record 2 (depot row 2): its content does not match its hash: edited" in capsys.readouterr().out
