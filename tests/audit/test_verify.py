"""The log catches each way of tampering with it through plain sqlite3."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from station.audit.records import RecordKind
from station.audit.signing import StationKey
from station.audit.store import DB_NAME, Store
from station.audit.verify import Verification, verify_log
from station.core.models import DeviceIdentity, Platform

PHONE = DeviceIdentity(Platform.ANDROID, "R58N12ABCDE", "samsung", "SM-S911W", "14")


def filled(tmp_path: Path, count: int = 6) -> Path:
    store = Store.open(tmp_path)
    run = store.start_run("scan", None)
    for number in range(count):
        store.record(run, RecordKind.SCAN, address="a", platform="android", identity=PHONE, data={"n": number}, operator="Ana")
    store.close()
    return tmp_path / DB_NAME


def verdict(tmp_path: Path) -> Verification:
    store = Store.open(tmp_path)
    try:
        return verify_log(store)
    finally:
        store.close()


def test_intact_log_verifies_with_its_count(tmp_path: Path) -> None:
    filled(tmp_path)
    result = verdict(tmp_path)
    assert result.ok and result.count == 6 and "6 records" in str(result)


def tamper(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(
    ("attack", "seq", "words"),
    [
        (lambda db: tamper(db, "UPDATE records SET data = '{\"n\": 99}' WHERE seq = 3"), 3, "edited"),
        (lambda db: tamper(db, "UPDATE records SET operator = 'Mallory' WHERE seq = 2"), 2, "edited"),
        (lambda db: tamper(db, "DELETE FROM records WHERE seq = 4"), 5, "record 4 before it is missing: deleted"),
        (lambda db: tamper(db, "DELETE FROM records WHERE seq IN (2, 3)"), 4, "records 2 to 3"),
        (lambda db: tamper(db, "INSERT INTO records (seq, prev_hash, time, run_id, kind, hash, signature, key_id) "
                               "SELECT seq, prev_hash, time, run_id, kind, hash, signature, key_id FROM records WHERE seq = 3"),
         3, "inserted"),
        (lambda db: tamper(db, "UPDATE records SET seq = -seq WHERE seq IN (2, 3)",
                           "UPDATE records SET seq = 5 + seq WHERE seq IN (-2, -3)"),
         3, "reordered"),
        (lambda db: tamper(db, "UPDATE records SET signature = (SELECT signature FROM records WHERE seq = 1) WHERE seq = 5"),
         5, "bad signature"),
    ],
    ids=["edited-data", "edited-operator", "deleted-one", "deleted-two", "inserted", "reordered", "bad-signature"],
)
def test_each_tampering_is_caught_and_named(tmp_path: Path, attack: Callable[[Path], None], seq: int, words: str) -> None:
    attack(filled(tmp_path))
    result = verdict(tmp_path)
    assert not result.ok
    assert result.seq == seq, str(result)
    assert words in str(result)


def test_an_edit_with_a_recomputed_hash_still_fails_on_the_signature(tmp_path: Path) -> None:
    from station.audit.signing import record_hash

    db = filled(tmp_path)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute("SELECT * FROM records WHERE seq = 6").fetchone())
    row["data"] = '{"n": 1000}'
    with conn:
        conn.execute("UPDATE records SET data = ?, hash = ? WHERE seq = 6", (row["data"], record_hash(row)))
    conn.close()
    result = verdict(tmp_path)
    assert not result.ok and result.seq == 6 and "bad signature" in str(result)


def test_records_signed_before_a_key_change_still_verify(tmp_path: Path) -> None:
    filled(tmp_path, 3)
    (tmp_path / "station-ed25519.pem").rename(tmp_path / "old-key.pem")
    Store.allow_new_key(tmp_path / DB_NAME)  # as a restore does: a lost key is replaced only then
    store = Store.open(tmp_path)  # a new key is made; the old public key stays in the log
    run = store.start_run("scan", None)
    store.record(run, RecordKind.SCAN, address="a", platform="android", identity=PHONE, data={"after": "rotation"})
    result = verify_log(store)
    store.close()
    assert result.ok and result.count == 4
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert len({key for (key,) in conn.execute("SELECT key_id FROM records")}) == 2
    conn.close()


def test_a_forged_record_signed_with_another_key_is_caught(tmp_path: Path) -> None:
    filled(tmp_path, 2)
    other = tmp_path / "other"
    other.mkdir()
    forger = StationKey.load_or_create(other)
    from station.audit.signing import record_hash

    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.row_factory = sqlite3.Row
    last = dict(conn.execute("SELECT * FROM records WHERE seq = 2").fetchone())
    forged = {**last, "id": None, "seq": 3, "prev_hash": last["hash"], "data": '{"n": "forged"}', "key_id": forger.id}
    forged["hash"] = record_hash(forged)
    forged["signature"] = forger.sign(forged["hash"])
    columns = [c for c in forged if c != "id"]
    with conn:
        conn.execute(f"INSERT INTO records ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", [forged[c] for c in columns])
    conn.close()
    result = verdict(tmp_path)
    assert not result.ok and result.seq == 3 and "does not know" in str(result)


def rehash_from(db: Path, seq: int, data: str) -> None:
    """Edit record ``seq`` and recompute its hash and every later record's link and hash, as someone
    without the key would to hide an edit: only the signatures are left wrong."""
    from station.audit.signing import record_hash

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [dict(row) for row in conn.execute("SELECT * FROM records WHERE seq >= ? ORDER BY seq", [seq])]
    rows[0]["data"] = data
    previous = None
    with conn:
        for row in rows:
            if previous is not None:
                row["prev_hash"] = previous
            row["hash"] = previous = record_hash(row)
            conn.execute("UPDATE records SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                         (row["data"], row["prev_hash"], row["hash"], row["seq"]))
    conn.close()


def quick_verdict(tmp_path: Path, heads: int) -> Verification:
    from station.audit.signing import load_public
    from station.audit.verify import check_chain

    store = Store.open(tmp_path)
    try:
        keys = {key_id: load_public(pem) for key_id, pem in store.public_keys().items()}
        return check_chain(store.stored_records(), keys, heads=heads)
    finally:
        store.close()


def test_a_quick_check_verifies_the_heads_and_still_catches_any_edit(tmp_path: Path) -> None:
    db = filled(tmp_path, 10)
    intact = quick_verdict(tmp_path, heads=4)
    assert intact.ok and intact.count == 10 and intact.signatures == 3  # records 4, 8 and the last, 10
    assert "the signatures of its 3 head(s) (every 4th record and the last)" in str(intact)
    rehash_from(db, 2, '{"n": 1000}')  # between heads: record 4's signature no longer matches its hash
    caught = quick_verdict(tmp_path, heads=4)
    assert not caught.ok and caught.seq == 4 and "bad signature" in str(caught)


def test_a_quick_check_catches_an_edit_after_the_last_head_on_the_last_record(tmp_path: Path) -> None:
    db = filled(tmp_path, 10)
    rehash_from(db, 9, '{"n": 1000}')
    caught = quick_verdict(tmp_path, heads=4)
    assert not caught.ok and caught.seq == 10 and "bad signature" in str(caught)


def test_what_only_the_full_check_sees_a_damaged_signature_between_heads(tmp_path: Path) -> None:
    """The quick check's stated limit: record 2's content is vouched for by record 4's signature, but its
    own signature is not read."""
    db = filled(tmp_path, 10)
    tamper(db, "UPDATE records SET signature = 'AAAA' WHERE seq = 2")
    assert quick_verdict(tmp_path, heads=4).ok
    full = verdict(tmp_path)
    assert not full.ok and full.seq == 2 and "bad signature" in str(full)
