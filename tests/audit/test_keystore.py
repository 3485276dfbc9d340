"""The station's private key in the operating system's keystore (through keyring), and the file fallback.

The keystore here is a real keyring backend, kept in memory and registered for the test with
keyring.set_keyring: the station reaches it through the library's own interface, as it reaches Secret
Service, Keychain or Credential Manager.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError

from station.audit.backup import make_backup, restore_backup
from station.audit.keystore import Keystore
from station.audit.records import RecordKind
from station.audit.signing import KEY_NAME, SERVICE, KeyPlace
from station.audit.store import Store
from station.audit.verify import verify_log
from station.cli import main
from station.core.errors import StationError


class MemoryKeyring(KeyringBackend):
    """A keystore in memory: what the station writes is all it holds."""

    priority = 5  # keyring declares it a class property; a plain class attribute serves

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise KeyringLocked("the collection is locked")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.locked:
            raise KeyringLocked("the collection is locked")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt's file backends, which keep secrets no better than the station's own file."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


@pytest.fixture
def keystore() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


def no_keystore() -> None:
    keyring.set_keyring(fail.Keyring())


def opened_with_records(folder: Path, count: int = 2) -> Store:
    folder.mkdir(mode=0o700, exist_ok=True)
    store = Store.open(folder)
    run = store.start_run("scan", None)
    for n in range(count):
        store.record(run, RecordKind.SCAN, address="a", platform="android", identity=None, data={"n": n})
    return store


def private_key_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and b"PRIVATE KEY" in path.read_bytes()]


def test_a_new_station_keeps_its_key_in_the_keystore_and_not_on_disk(tmp_path: Path, keystore: MemoryKeyring) -> None:
    store = opened_with_records(tmp_path)
    try:
        assert store.key.location.place is KeyPlace.KEYSTORE
        assert list(keystore.entries) == [(SERVICE, store.station_id)]
        assert "PRIVATE KEY" in keystore.entries[(SERVICE, store.station_id)]
        assert list(store.public_keys()) == [store.key.id]
    finally:
        store.close()
    assert not (tmp_path / KEY_NAME).exists()
    assert private_key_files(tmp_path) == []  # a copy of the data folder carries no private key


def test_a_station_reopens_with_the_key_from_the_keystore(tmp_path: Path, keystore: MemoryKeyring) -> None:
    first = opened_with_records(tmp_path)
    key_id = first.key.id
    first.close()
    again = opened_with_records(tmp_path)
    try:
        assert again.key.id == key_id and list(again.public_keys()) == [key_id]
        verdict = verify_log(again)
        assert verdict.ok and verdict.count == 4
    finally:
        again.close()


def test_two_data_folders_on_one_pc_keep_a_key_each(tmp_path: Path, keystore: MemoryKeyring) -> None:
    one, two = opened_with_records(tmp_path / "one"), opened_with_records(tmp_path / "two")
    try:
        assert one.station_id != two.station_id and one.key.id != two.key.id
        assert set(keystore.entries) == {(SERVICE, one.station_id), (SERVICE, two.station_id)}
    finally:
        one.close()
        two.close()


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring, PlaintextKeyring])
def test_without_a_trusted_keystore_the_key_is_an_owner_only_file(tmp_path: Path, keystore: MemoryKeyring,
                                                                   backend: type[KeyringBackend]) -> None:
    keyring.set_keyring(backend())
    assert Keystore.find() is None
    store = opened_with_records(tmp_path)
    try:
        assert store.key.location.place is KeyPlace.FILE and str(tmp_path / KEY_NAME) in str(store.key.location)
    finally:
        store.close()
    assert stat.S_IMODE((tmp_path / KEY_NAME).stat().st_mode) == 0o600
    assert keystore.entries == {}


def test_a_key_file_moves_into_the_keystore_on_the_first_start_with_one(tmp_path: Path, keystore: MemoryKeyring) -> None:
    no_keystore()
    before = opened_with_records(tmp_path)
    key_id, station_id = before.key.id, before.station_id
    before.close()
    assert (tmp_path / KEY_NAME).exists()

    keyring.set_keyring(keystore)
    after = opened_with_records(tmp_path)
    try:
        assert after.key.id == key_id and after.key.location.place is KeyPlace.KEYSTORE
        assert (SERVICE, station_id) in keystore.entries
        assert list(after.public_keys()) == [key_id]
        assert verify_log(after).ok
    finally:
        after.close()
    assert not (tmp_path / KEY_NAME).exists()


def test_a_keystore_that_lost_the_key_stops_the_station_and_no_key_is_made(tmp_path: Path, keystore: MemoryKeyring) -> None:
    store = opened_with_records(tmp_path)
    station_id, key_id = store.station_id, store.key.id
    store.close()
    keystore.entries.clear()  # the keystore was reset, or the data folder was copied to another user or PC

    with pytest.raises(StationError) as refused:
        Store.open(tmp_path)
    message = str(refused.value)
    assert f"entry {station_id!r}" in message and key_id in message and str(tmp_path / KEY_NAME) in message
    assert "No new key was made" in message and "station log restore" in message
    assert keystore.entries == {} and not (tmp_path / KEY_NAME).exists()


def test_a_locked_keystore_stops_the_station_saying_where_the_key_is(tmp_path: Path, keystore: MemoryKeyring) -> None:
    opened_with_records(tmp_path).close()
    keystore.locked = True
    with pytest.raises(StationError, match=r"keystore .* could not be read .*KeyringLocked.* unlock .*No new key was made"):
        Store.open(tmp_path)
    assert not (tmp_path / KEY_NAME).exists()


def test_a_keystore_gone_from_the_session_stops_the_station_instead_of_making_a_file_key(tmp_path: Path,
                                                                                          keystore: MemoryKeyring) -> None:
    opened_with_records(tmp_path).close()
    no_keystore()  # e.g. started over ssh, without the desktop session's D-Bus
    with pytest.raises(StationError, match=r"keeps it in the operating system's keystore .*cannot reach"):
        Store.open(tmp_path)
    assert not (tmp_path / KEY_NAME).exists()


def test_a_backup_put_back_on_the_same_pc_signs_on_with_the_keystore_key(tmp_path: Path, keystore: MemoryKeyring) -> None:
    data = tmp_path / "data"
    store = opened_with_records(data)
    key_id = store.key.id
    make_backup(store, tmp_path / "backup")
    store.close()
    restore_backup(tmp_path / "backup", data)
    restored = opened_with_records(data, 1)
    try:
        assert restored.key.id == key_id and list(restored.public_keys()) == [key_id]
        assert verify_log(restored).ok
    finally:
        restored.close()


def test_public_key_prints_the_public_half_and_says_where_the_private_half_is(
    tmp_path: Path, keystore: MemoryKeyring, capsys: pytest.CaptureFixture[str],
) -> None:
    opened_with_records(tmp_path).close()
    assert main(["--data-dir", str(tmp_path), "log", "public-key"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("-----BEGIN PUBLIC KEY-----") and "PRIVATE" not in out
    assert "private half is kept in the operating system's keystore" in err and SERVICE in err


def test_a_move_into_the_keystore_stopped_before_the_file_went_is_finished_at_the_next_start(
    tmp_path: Path, keystore: MemoryKeyring,
) -> None:
    no_keystore()
    opened_with_records(tmp_path).close()
    pem = (tmp_path / KEY_NAME).read_text(encoding="ascii")
    keyring.set_keyring(keystore)
    store = opened_with_records(tmp_path)
    key_id, station_id = store.key.id, store.station_id
    store.close()
    (tmp_path / KEY_NAME).write_text(pem, encoding="ascii")  # the copy a stopped move leaves behind
    again = opened_with_records(tmp_path, 1)
    try:
        assert again.key.id == key_id and list(again.public_keys()) == [key_id]
    finally:
        again.close()
    assert not (tmp_path / KEY_NAME).exists() and (SERVICE, station_id) in keystore.entries
