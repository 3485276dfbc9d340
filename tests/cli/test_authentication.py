"""Who a command acts for: the CLI checks the operator's PIN before it changes a phone or the record,
records only an operator it checked, and marks phones simulated inside the station as such."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.audit.operators import LEGACY_PIN_COST, hash_pin
from station.audit.records import Record, RecordKind
from station.audit.store import Store
from station.audit.verify import verify_log
from station.cli import main
from station.sim.server import FleetServer
from tests.report.test_pdf import pdf_text
from tests.support import OPERATOR_PIN, address_of, first_supervisor

ONE_PHONE = """
[[device]]
platform = "android"
serial = "SIMAUTH001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
security_patch = "2026-10-01"
apps = ["com.tencent.mm"]
"""
NO_OPERATOR = "no operator exists yet: create the first supervisor with `station operator add NAME --badge N --role supervisor`"


@pytest.fixture
def data(tmp_path: Path) -> list[str]:
    return ["--data-dir", str(tmp_path / "d")]


@pytest.fixture
def no_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("STATION_PIN", "STATION_SUPERVISOR_PIN", "STATION_NEW_PIN"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def real_phone(served: FleetServer) -> str:
    """A phone the station reaches at an address, as it reaches real ones (it cannot tell them apart)."""
    host, port = address_of(served, "R58N12ABCDE")
    return f"{host}:{port}"


def records(tmp_path: Path) -> list[Record]:
    store = Store.open(tmp_path / "d")
    try:
        assert verify_log(store).ok
        return list(store.records())
    finally:
        store.close()


@pytest.fixture
def sim_fleet(tmp_path: Path) -> Path:
    path = tmp_path / "one.toml"
    path.write_text(ONE_PHONE, encoding="utf-8")
    return path


@pytest.mark.usefixtures("no_pin")
def test_provision_on_a_station_with_no_operator_is_refused_and_says_how_to_create_one(
        data: list[str], tmp_path: Path, real_phone: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*data, "provision", "--adb", real_phone, "--operator", "ANYONE", "--yes"]) == 2
    assert NO_OPERATOR in capsys.readouterr().err
    assert main([*data, "remove", "--adb", real_phone, "--yes"]) == 2
    assert NO_OPERATOR in capsys.readouterr().err
    assert not [r for r in records(tmp_path) if r.serial]  # no phone was touched, nobody recorded


@pytest.mark.usefixtures("no_pin")
def test_a_changing_command_without_a_pin_is_refused_naming_the_variable(
        data: list[str], tmp_path: Path, real_phone: str, capsys: pytest.CaptureFixture[str]) -> None:
    first_supervisor(tmp_path / "d")
    assert main([*data, "provision", "--adb", real_phone, "--operator", "1001", "--yes"]) == 2
    assert "Ana Tremblay's PIN is needed" not in (err := capsys.readouterr().err) and "set STATION_PIN" in err
    assert main([*data, "remove", "--adb", real_phone, "--yes"]) == 2  # and naming nobody is no way round it
    assert "say who you are with --operator" in capsys.readouterr().err
    assert main([*data, "retire", "R58N12ABCDE", "--reason", "screen cracked", "--operator", "1001"]) == 2
    assert "set STATION_PIN" in capsys.readouterr().err


def test_a_wrong_pin_is_refused_counted_and_recorded(
        data: list[str], tmp_path: Path, real_phone: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    first_supervisor(tmp_path / "d")
    monkeypatch.setenv("STATION_PIN", "999999")
    assert main([*data, "provision", "--adb", real_phone, "--operator", "1001", "--yes"]) == 2
    assert "wrong PIN for Ana Tremblay (4 tries left)" in capsys.readouterr().err
    (rejected,) = [r for r in records(tmp_path) if r.kind == RecordKind.PIN_REJECTED]
    assert rejected.operator is None and rejected.data["badge"] == "1001"


@pytest.mark.usefixtures("station_pin")
def test_with_the_right_pin_every_record_and_the_page_name_the_operator(
        data: list[str], tmp_path: Path, real_phone: str, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    ana = first_supervisor(tmp_path / "d")
    main([*data, "provision", "--adb", real_phone, "--operator", "1001", "--yes", "--json"])
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["serial"] == "R58N12ABCDE"
    assert "operator Ana Tremblay (badge 1001), PIN checked" in captured.err
    phone = [r for r in records(tmp_path) if r.serial == "R58N12ABCDE"]
    assert phone and all(r.operator == str(ana) and "simulated" not in r.data for r in phone)
    (checklist,) = [r for r in phone if r.kind == RecordKind.CHECKLIST]
    assert checklist.data["run_by"] == {"name": "Ana Tremblay", "badge": "1001", "pin_checked": True}
    assert main([*data, "report", "R58N12ABCDE", "-o", str(tmp_path / "page.pdf"), "--lang", "en"]) == 0
    text = " ".join(pdf_text(tmp_path / "page.pdf").split())
    # pdftotext reads the table column by column: the label and its value need not be side by side.
    assert "Checklist run by" in text and "Ana Tremblay (badge 1001), PIN checked" in text and "SIMULATED" not in text


@pytest.mark.usefixtures("no_pin")
def test_simulated_phones_need_no_pin_and_every_record_and_the_page_say_simulated(
        data: list[str], tmp_path: Path, sim_fleet: Path, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    main([*data, "provision", "--sim", str(sim_fleet), "--yes"])  # a station with no operator, and no PIN
    assert "SIMULATED PHONES, not real devices" in capsys.readouterr().err
    phone = [r for r in records(tmp_path) if r.serial == "SIMAUTH001"]
    assert phone and all(r.data["simulated"] is True and r.operator is None for r in phone)
    (checklist,) = [r for r in phone if r.kind == RecordKind.CHECKLIST]
    assert checklist.data["run_by"] is None
    assert main([*data, "report", "SIMAUTH001", "-o", str(tmp_path / "sim.pdf"), "--lang", "en"]) == 0
    text = " ".join(pdf_text(tmp_path / "sim.pdf").split())
    assert "SIMULATED PHONE — not a real device" in text and "Checklist run by" in text and "no authenticated operator" in text


@pytest.mark.usefixtures("station_pin")
def test_simulated_and_real_phones_are_not_mixed_in_one_session(
        data: list[str], tmp_path: Path, sim_fleet: Path, real_phone: str, capsys: pytest.CaptureFixture[str]) -> None:
    first_supervisor(tmp_path / "d")
    assert main([*data, "remove", "--sim", str(sim_fleet), "--adb", real_phone, "--operator", "1001", "--yes"]) == 2
    assert "--sim cannot be mixed with --adb" in capsys.readouterr().err


def test_a_four_digit_pin_must_be_changed_with_operator_pin_before_anything_else(
        data: list[str], tmp_path: Path, real_phone: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    first_supervisor(tmp_path / "d")
    store = Store.open(tmp_path / "d")
    _scheme, _n, _r, _p, salt, digest = hash_pin("4321", b"fixed-salt-16byt", LEGACY_PIN_COST).split("$")
    store.db.table("operators").update("1001", {"pin_hash": f"scrypt${salt}${digest}"})  # as a station before the rule kept it
    store.close()
    monkeypatch.setenv("STATION_PIN", "4321")
    assert main([*data, "provision", "--adb", real_phone, "--operator", "1001", "--yes"]) == 2
    assert "PIN too short" in (err := capsys.readouterr().err) and "set a new one with `station operator pin 1001`" in err
    monkeypatch.setenv("STATION_NEW_PIN", "54321")
    assert main([*data, "operator", "pin", "1001"]) == 2
    assert "a PIN is 6 to 12 digits (this one is 5 characters)" in capsys.readouterr().err
    monkeypatch.setenv("STATION_NEW_PIN", OPERATOR_PIN)
    assert main([*data, "operator", "pin", "1001"]) == 0
    assert "new PIN set for Ana Tremblay" in capsys.readouterr().out
    monkeypatch.setenv("STATION_PIN", OPERATOR_PIN)
    main([*data, "remove", "--adb", real_phone, "--operator", "1001", "--yes"])
    kinds = [r.kind for r in records(tmp_path)]
    assert RecordKind.PIN_CHANGED in kinds and RecordKind.REMOVAL_STARTED in kinds


@pytest.mark.usefixtures("no_pin")
def test_a_new_operator_pin_of_five_digits_is_refused(data: list[str], monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STATION_PIN", "12345")
    assert main([*data, "operator", "add", "Ana Tremblay", "--badge", "1001", "--role", "supervisor"]) == 2
    assert "a PIN is 6 to 12 digits" in capsys.readouterr().err
