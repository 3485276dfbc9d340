"""A lost or damaged log is a recoverable event: backups are made whole, checked before they are put
back, and the damaged log is moved aside, never deleted."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from station.audit.backup import MANIFEST, BackupError, BackupState, backup_state, make_backup, restore_backup
from station.audit.records import RecordKind
from station.audit.store import DB_NAME, Store
from station.audit.verify import verify_log
from station.cli import main
from station.core.errors import StationError
from station.core.models import DeviceIdentity, Platform

PHONE = DeviceIdentity(Platform.ANDROID, "R58N12ABCDE", "samsung", "SM-S911W", "14")


def station_with_records(folder: Path, count: int = 5) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    store = Store.open(folder)
    run = store.start_run("scan", None)
    for number in range(count):
        store.record(run, RecordKind.SCAN, address="a", platform="android", identity=PHONE, data={"n": number})
    store.close()
    return folder


def test_a_backup_restored_on_a_new_pc_verifies_and_carries_on_under_a_new_key(tmp_path: Path) -> None:
    first = station_with_records(tmp_path / "bench-1")
    store = Store.open(first)
    made = make_backup(store, tmp_path / "backup")
    assert [r.kind for r in store.records()][-1] == RecordKind.BACKUP_MADE  # the log says when it was backed up
    store.close()
    assert made.records == 5 and made.last_seq == 5

    new_pc = tmp_path / "bench-1-new-disk"
    new_pc.mkdir(mode=0o700)
    manifest, aside = restore_backup(tmp_path / "backup", new_pc)
    assert manifest == made and aside is None
    restored = Store.open(new_pc)  # no private key here: a new one is made, the old public key stays
    try:
        run = restored.start_run("scan", None)
        restored.record(run, RecordKind.SCAN, address="a", platform="android", identity=PHONE, data={"n": 5})
        verdict = verify_log(restored)
        assert verdict.ok and verdict.count == 6
        assert len(restored.public_keys()) == 2
        assert [r.data.get("n") for r in restored.records("R58N12ABCDE")] == [0, 1, 2, 3, 4, 5]
    finally:
        restored.close()


def test_a_damaged_log_says_what_to_do_and_is_moved_aside_when_the_backup_goes_back(tmp_path: Path) -> None:
    station = station_with_records(tmp_path / "bench")
    store = Store.open(station)
    make_backup(store, tmp_path / "backup")
    store.close()
    damaged = station / DB_NAME
    damaged.write_bytes(b"\x00" * 100 + damaged.read_bytes()[100:])  # the header is gone: not a database
    with pytest.raises(StationError, match=r"damaged .*`station log restore BACKUP_FOLDER`"):
        Store.open(station)

    _, aside = restore_backup(tmp_path / "backup", station)
    assert aside is not None and aside.read_bytes()[:100] == b"\x00" * 100  # kept, for whoever investigates
    store = Store.open(station)
    try:
        assert verify_log(store).ok and len(store.records()) == 5
    finally:
        store.close()


@pytest.mark.parametrize("tamper", ["log byte", "log and manifest", "no manifest"])
def test_a_backup_that_was_changed_is_refused_and_the_data_folder_left_alone(tmp_path: Path, tamper: str) -> None:
    station = station_with_records(tmp_path / "bench")
    store = Store.open(station)
    make_backup(store, tmp_path / "backup")
    store.close()
    copy, manifest = tmp_path / "backup" / DB_NAME, tmp_path / "backup" / MANIFEST
    if tamper == "no manifest":
        manifest.unlink()
    else:
        data = copy.read_bytes()
        at = data.index(b'{"n": 3}')
        copy.write_bytes(data[:at] + b'{"n": 9}' + data[at + 8:])  # a record's content edited in place
        if tamper == "log and manifest":  # the manifest made to agree: the chain still gives it away
            raw = json.loads(manifest.read_text())
            raw["files"][DB_NAME] = hashlib.sha256(copy.read_bytes()).hexdigest()
            manifest.write_text(json.dumps(raw))
    before = (station / DB_NAME).read_bytes()
    expected = {"log byte": "does not match the backup's manifest", "log and manifest": "does not verify",
                "no manifest": "not a backup"}[tamper]
    with pytest.raises(BackupError, match=expected):
        restore_backup(tmp_path / "backup", station)
    assert (station / DB_NAME).read_bytes() == before
    assert not list(station.glob(f"{DB_NAME}.replaced-*"))


def test_a_backup_goes_only_into_a_new_folder(tmp_path: Path) -> None:
    store = Store.open(station_with_records(tmp_path / "bench"))
    try:
        (tmp_path / "used").mkdir()
        (tmp_path / "used" / "other.txt").write_text("x")
        with pytest.raises(BackupError, match="not empty"):
            make_backup(store, tmp_path / "used")
    finally:
        store.close()


def test_backup_and_restore_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    station = station_with_records(tmp_path / "bench")
    assert main(["--data-dir", str(station), "log", "backup", str(tmp_path / "b")]) == 0
    assert "backup of 5 records" in capsys.readouterr().out
    assert main(["--data-dir", str(station), "log", "restore", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "restored from" in out and "the log it replaces is kept as" in out
    assert main(["--data-dir", str(station), "log", "verify"]) == 0
    assert main(["--data-dir", str(station), "log", "restore", str(tmp_path / "nothing")]) == 2
    assert "not a backup" in capsys.readouterr().err


def test_a_backup_is_due_when_none_was_made_of_a_log_with_records_or_the_last_is_too_old() -> None:
    now = dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC)
    assert not BackupState(None, None, 0).due(now, 7)  # an empty log: nothing to lose yet
    assert BackupState(None, None, 3).due(now, 7)
    assert not BackupState(now - dt.timedelta(days=6, hours=23), "/b", 3).due(now, 7)
    assert BackupState(now - dt.timedelta(days=7), "/b", 3).due(now, 7)
    assert BackupState(now - dt.timedelta(days=2), "/b", 3).due(now, 1)


def test_the_backup_state_names_the_newest_backup(tmp_path: Path) -> None:
    store = Store.open(station_with_records(tmp_path / "bench"))
    try:
        assert backup_state(store).last is None and backup_state(store).records == 5
        make_backup(store, tmp_path / "first")
        make_backup(store, tmp_path / "second")
        state = backup_state(store)
        assert state.folder == str(tmp_path / "second") and state.records == 7
        assert state.last is not None and dt.datetime.now(dt.UTC) - state.last < dt.timedelta(minutes=1)
    finally:
        store.close()
