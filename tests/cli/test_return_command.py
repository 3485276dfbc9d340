"""`station return` and `station scan` on phones still tied to their users' accounts: what the operator
reads (JSON and table), and the supervisor's override that alone wipes such a phone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.cli import main

FLEET = """
[[device]]
platform = "android"
serial = "GOOGLE0001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
apps = ["com.tencent.mm"]
accounts = [{ type = "com.google", name = "jane.doe@gmail.com" }]
reboot_s = 0.3

[[device]]
platform = "ios"
serial = "00008110-001A2B3C4D5E801E"
find_my = true
"""


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    path = tmp_path / "fleet.toml"
    path.write_text(FLEET, encoding="utf-8")
    return path


def station(monkeypatch: pytest.MonkeyPatch, *args: str, pin: str = "246800", supervisor_pin: str = "135700") -> int:
    monkeypatch.setenv("STATION_PIN", pin)
    monkeypatch.setenv("STATION_SUPERVISOR_PIN", supervisor_pin)
    return main(list(args))


def test_locked_phones_are_not_wiped_and_the_json_says_what_to_do(
        fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-dir", str(tmp_path / "d"), "return", "--sim", str(fleet), "--operator", "Ana", "--json", "--yes"])
    phones = {p["serial"]: p for p in json.loads(capsys.readouterr().out)}
    assert code == 1
    android, iphone = phones["GOOGLE0001"], phones["00008110-001A2B3C4D5E801E"]
    assert android["account_lock"]["gate"] == "locked" and "remove the Google account" in android["account_lock"]["remedy"]
    assert iphone["account_lock"]["gate"] == "locked" and iphone["find_my"] is True
    assert {item["id"]: item["status"] for item in android["checklist"]}["wipe"] == "fail"
    assert android["battery"]["level"] == 87 and android["battery"]["health"] == "good"


def test_scan_shows_the_battery_and_the_lock_in_the_table(fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--data-dir", str(tmp_path / "d"), "scan", "--sim", str(fleet)])
    out = capsys.readouterr().out
    assert "GOOGLE0001: ACCOUNT LOCK (locked): signed in: Google account jane.doe@gmail.com" in out
    assert "00008110-001A2B3C4D5E801E: battery level 87%, health good" in out


def test_wipe_locked_needs_a_supervisor_and_a_reason(fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-dir", str(tmp_path / "d"), "return", "--sim", str(fleet), "--operator", "Ana", "--yes", "--wipe-locked"])
    assert code == 2 and "--wipe-locked needs --override-reason TEXT and --supervisor" in capsys.readouterr().err


def test_wipe_locked_under_a_supervisors_override_is_recorded(
        fleet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert station(monkeypatch, *data, "operator", "add", "Marie Roy", "--badge", "9001", "--role", "supervisor", pin="135700") == 0
    assert station(monkeypatch, *data, "operator", "add", "Ana", "--badge", "1001", "--supervisor", "9001") == 0
    capsys.readouterr()
    refused = station(monkeypatch, *data, "return", "--sim", str(fleet), "--operator", "1001", "--yes", "--wipe-locked",
                      "--override-reason", "user left; recovery held by IT", "--supervisor", "9001", supervisor_pin="000000")
    assert refused == 2  # a wrong supervisor PIN: nothing is touched
    code = station(monkeypatch, *data, "return", "--sim", str(fleet), "--operator", "1001", "--yes", "--json", "--wipe-locked",
                   "--override-reason", "user left; recovery held by IT", "--supervisor", "9001")
    printed = capsys.readouterr()
    phones = {p["serial"]: p for p in json.loads(printed.out)}
    assert "will be wiped under Marie Roy" in printed.err
    wipe = {item["id"]: item for item in phones["GOOGLE0001"]["checklist"]}["wipe"]
    assert wipe["status"] == "fail" and "Marie Roy's override" in wipe["evidence"]  # wiped, and locked by it
    assert code == 1  # the iPhone stays locked to its Apple ID: not ready
    exported = station(monkeypatch, *data, "log", "export", "--format", "json")
    records = json.loads(capsys.readouterr().out)
    assert exported == 0
    overrides = [r for r in records if r["kind"] == "wipe_override"]
    assert len(overrides) == 2 and {r["serial"] for r in overrides} == {"GOOGLE0001", "00008110-001A2B3C4D5E801E"}


def test_a_typed_imei_is_checked_then_recorded_as_the_phones(
        fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    with pytest.raises(SystemExit) as refused:
        main([*data, "scan", "--sim", str(fleet), "--imei", "GOOGLE0001=490154203237517"])
    assert refused.value.code == 2
    assert "GOOGLE0001: IMEI 490154203237517 fails its check digit (the last digit should be 8)" in capsys.readouterr().err
    main([*data, "return", "--sim", str(fleet), "--operator", "Ana", "--yes", "--json", "--imei", "GOOGLE0001=49-015420-323751-8"])
    phones = {p["serial"]: p for p in json.loads(capsys.readouterr().out)}
    assert phones["GOOGLE0001"]["imei"] == "490154203237518"
    main([*data, "log", "export", "--format", "json"])
    checklists = [r for r in json.loads(capsys.readouterr().out) if r["kind"] == "checklist" and r["serial"] == "GOOGLE0001"]
    assert checklists and checklists[0]["identity"]["imei"] == "490154203237518"  # what the printed checklist shows


def test_the_supervisor_cannot_approve_their_own_locked_wipe(
        fleet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert station(monkeypatch, *data, "operator", "add", "Marie Roy", "--badge", "9001", "--role", "supervisor", pin="135700") == 0
    code = station(monkeypatch, *data, "return", "--sim", str(fleet), "--operator", "9001", "--yes", "--wipe-locked",
                   "--override-reason", "user left; recovery held by IT", "--supervisor", "Marie Roy", pin="135700")
    assert code == 2 and "needs a second person" in capsys.readouterr().err
