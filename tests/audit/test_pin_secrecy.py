"""A PIN is never written anywhere: not in a log record, not in the database's bytes (WAL included), not in
any file of the data folder, not in what the station prints or logs, even with -v and a wrong PIN tried.
And everything in the data folder is the owner's alone."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from station.audit.records import RecordKind
from station.audit.signing import KEY_NAME
from station.audit.store import DB_NAME, Store
from station.cli import main
from station.devices.adb_key import KEY_NAME as ADB_KEY_NAME
from station.workbench.datadir import resolve_data_dir
from station.workbench.targets import PAIR_RECORDS

# 12 digits (the longest PIN): a salted scrypt hash in base64 holds a given 12-digit run by chance with a
# probability near 1e-8, so finding one in the database means the PIN was written, not bad luck.
SUPERVISOR_PIN = "730145298861"
OPERATOR_PIN = "964208137753"
WRONG_PIN = "118822645390"
PINS = (SUPERVISOR_PIN, OPERATOR_PIN, WRONG_PIN)


def fleet(tmp_path: Path) -> Path:
    # The depot's local calendar, by which the engine counts a patch's age.
    recent = (dt.datetime.now().astimezone().date() - dt.timedelta(days=10)).isoformat()
    path = tmp_path / "fleet.toml"
    path.write_text(f'[[device]]\nplatform = "android"\nserial = "PINTEST001"\nmanufacturer = "Google"\nmodel = "Pixel 8"\n'
                    f'os_version = "15"\nsecurity_patch = "{recent}"\napps = ["com.tencent.mm"]\n\n'
                    '[[device]]\nplatform = "ios"\nserial = "00008120-00114A2E0C38801E"\nsupervised = true\n', encoding="utf-8")
    return path


def station(monkeypatch: pytest.MonkeyPatch, pin: str, *args: str, supervisor_pin: str | None = None) -> int:
    monkeypatch.setenv("STATION_PIN", pin)
    if supervisor_pin is not None:
        monkeypatch.setenv("STATION_SUPERVISOR_PIN", supervisor_pin)
    return main(list(args))


def test_pins_are_never_logged_printed_or_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    data = tmp_path / "data"
    common = ["-v", "--data-dir", str(data)]
    assert station(monkeypatch, SUPERVISOR_PIN, *common, "operator", "add", "Ana Tremblay", "--badge", "1001", "--role", "supervisor") == 0
    assert station(monkeypatch, OPERATOR_PIN, *common, "operator", "add", "Luc Gagnon", "--badge", "2002",
                   "--supervisor", "1001", supervisor_pin=SUPERVISOR_PIN) == 0
    assert station(monkeypatch, WRONG_PIN, *common, "provision", "--sim", str(fleet(tmp_path)), "--operator", "2002",
                   "--sign-off", "--yes") == 2
    assert station(monkeypatch, OPERATOR_PIN, *common, "provision", "--sim", str(fleet(tmp_path)), "--operator", "2002",
                   "--sign-off", "--yes", "--json") == 0
    printed = capsys.readouterr()

    conn = sqlite3.connect(data / DB_NAME)
    try:
        kinds = [row[0] for row in conn.execute("SELECT kind FROM records")]
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        everything = json.dumps({table: conn.execute(f"SELECT * FROM [{table}]").fetchall() for table in tables}, default=str)
    finally:
        conn.close()
    assert kinds.count("sign_off") == 2 and "pin_rejected" in kinds and kinds.count("operator_added") == 2
    files = {path: path.read_bytes() for path in data.rglob("*") if path.is_file()}
    assert data / DB_NAME in files
    for pin in PINS:
        assert pin not in everything, f"PIN {pin} is in the log database's rows"
        assert pin not in printed.out and pin not in printed.err, f"PIN {pin} was printed"
        assert pin not in caplog.text, f"PIN {pin} was logged"
        for path, content in files.items():
            assert pin.encode() not in content and pin.encode("utf-16-le") not in content, f"PIN {pin} is in {path}"


def test_data_folder_and_everything_in_it_is_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    add_ana = ("operator", "add", "Ana", "--badge", "1001", "--role", "supervisor")
    assert station(monkeypatch, SUPERVISOR_PIN, "--data-dir", str(data), *add_ana) == 0
    assert station(monkeypatch, SUPERVISOR_PIN, "--data-dir", str(data), "scan", "--sim", str(fleet(tmp_path))) == 1
    assert {DB_NAME, KEY_NAME, ADB_KEY_NAME, PAIR_RECORDS} <= {path.name for path in data.iterdir()}
    modes = {path.relative_to(data).as_posix(): stat.S_IMODE(path.stat().st_mode) for path in [data, *data.rglob("*")]}
    assert modes["."] == 0o700 and modes[PAIR_RECORDS] == 0o700
    assert (modes[DB_NAME], modes[KEY_NAME], modes[ADB_KEY_NAME]) == (0o600, 0o600, 0o600)
    shared = {name: oct(mode) for name, mode in modes.items()
              if mode & (stat.S_IRWXG | stat.S_IRWXO) and not name.endswith(".pub")}  # a public key may be read
    assert shared == {}, f"readable or writable by others than the owner: {shared}"


def test_the_write_ahead_log_is_owner_only_while_the_station_runs(tmp_path: Path) -> None:
    store = Store.open(resolve_data_dir(tmp_path / "data"))
    try:
        store.record(store.start_run("scan", None), RecordKind.SCAN, address="a", platform="android", identity=None, data={})
        modes = {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in (tmp_path / "data").iterdir()}
    finally:
        store.close()
    assert (modes[DB_NAME + "-wal"], modes[DB_NAME + "-shm"]) == ("0o600", "0o600"), modes
