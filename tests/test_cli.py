"""The `station` command as a depot script would use it: output shapes and exit codes."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from station.audit.operators import Operators
from station.audit.store import Store
from station.cli import main
from station.core.language import Language
from tests.support import first_supervisor

CLEANABLE = """
[[device]]
platform = "android"
serial = "R58N12ABCDE"
manufacturer = "samsung"
model = "SM-S911W"
os_version = "14"
security_patch = "2024-09-01"
apps = ["com.tencent.mm", "com.android.chrome"]
system_apps = ["com.android.settings", "com.kaspersky.security.cloud"]

[[device]]
platform = "android"
serial = "CLEAN000001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
security_patch = "2024-11-05"
apps = ["com.android.chrome", "com.tencent.mobileqq"]
"""


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    path = tmp_path / "fleet.toml"
    path.write_text(CLEANABLE, encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_scan_json_has_one_object_per_phone_and_exit_1_for_findings(
        fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, phones = run_json(capsys, "--data-dir", str(tmp_path / "d"), "scan", "--sim", str(fleet), "--json")
    assert code == 1
    by_serial = {p["serial"]: p for p in phones}
    dirty, clean = by_serial["R58N12ABCDE"], by_serial["CLEAN000001"]
    assert (dirty["platform"], dirty["model"], dirty["os_version"]) == ("android", "SM-S911W", "14")
    assert isinstance(dirty["apps"], int) and dirty["apps"] >= 4
    assert sorted(f["app_id"] for f in dirty["findings"]) == ["com.kaspersky.security.cloud", "com.tencent.mm"]
    wechat = next(f for f in dirty["findings"] if f["app_id"] == "com.tencent.mm")
    assert wechat["rule"] and wechat["reason"] and wechat["source"].startswith("https://")
    assert clean["findings"] == []


def test_remove_needs_confirmation_when_not_at_a_terminal(
        fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with Path(os.devnull).open() as devnull:
        monkeypatch.setattr(sys, "stdin", devnull)
        code = main(["--data-dir", str(tmp_path / "d"), "remove", "--sim", str(fleet), "--json"])
    assert code == 2
    assert "add --yes" in capsys.readouterr().err


def test_remove_cleans_and_verifies(fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, phones = run_json(capsys, "--data-dir", str(tmp_path / "d"), "remove", "--sim", str(fleet), "--json", "--yes")
    assert code == 0
    dirty = next(p for p in phones if p["serial"] == "R58N12ABCDE")
    assert sorted(r["app_id"] for r in dirty["removed"]) == ["com.kaspersky.security.cloud", "com.tencent.mm"]
    system = next(r for r in dirty["removed"] if r["app_id"] == "com.kaspersky.security.cloud")
    assert system["method"] == "pm uninstall --user 0" and "factory reset" in system["notes"][0]
    assert dirty["failed"] == [] and dirty["findings_after"] == []


def test_table_output_for_people(fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "scan", "--sim", str(fleet)]) == 1
    out = capsys.readouterr().out
    assert "R58N12ABCDE" in out and "2 banned" in out and "clean" in out
    assert "com.tencent.mm (user 0) is WeChat" in out


def test_policy_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = Path(__file__).resolve().parents[1] / "policies" / "canada-tbs-2023.toml"
    assert main(["policy", "check", str(good)]) == 0
    broken = tmp_path / "broken.toml"
    broken.write_text('[policy]\nid = "x"\n', encoding="utf-8")
    assert main(["policy", "check", str(good), str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}: [policy] name: missing" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["scan", "--adb", "nonsense"], "expected HOST:PORT"),
        (["scan", "--sim", "/nonexistent/fleet.toml"], "/nonexistent/fleet.toml"),
        (["scan", "--policy", "/nonexistent/policy.toml", "--adb", "127.0.0.1:1"], "/nonexistent/policy.toml: no such file"),
    ],
)
def test_bad_input_exits_2_with_a_message(argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), *argv]) == 2
    assert message in capsys.readouterr().err


def test_unreachable_phone_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, phones = run_json(capsys, "--data-dir", str(tmp_path / "d"), "scan", "--adb", f"127.0.0.1:{port}", "--json")
    assert code == 3
    assert phones[0]["error_kind"] == "DeviceUnreachable"


def test_simulate_then_remove_over_adb_persists_across_invocations(fleet: Path, tmp_path: Path, station_pin: str) -> None:
    # Phones `station simulate` serves are outside the station, reached as real ones are: removing needs a PIN.
    first_supervisor(tmp_path / "d")
    env = {**os.environ, "STATION_DATA_DIR": str(tmp_path / "d")}
    station = [sys.executable, "-m", "station"]
    server = subprocess.Popen([*station, "simulate", str(fleet), "--no-latency"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        lines = [json.loads(server.stdout.readline()) for _ in range(2)]
        assert {line["platform"] for line in lines} == {"android"}
        address = next(line["address"] for line in lines if line["serial"] == "R58N12ABCDE")
        port = int(address.rpartition(":")[2])
        assert not 5555 <= port <= 5585

        removal = subprocess.run([*station, "remove", "--adb", address, "--yes", "--json", "--operator", "1001"],
                                 capture_output=True, text=True, env=env, timeout=60, check=False)
        assert removal.returncode == 0, removal.stderr
        rescan = subprocess.run([*station, "scan", "--adb", address, "--json"],
                                capture_output=True, text=True, env=env, timeout=60, check=False)
        assert rescan.returncode == 0, rescan.stderr
        assert json.loads(rescan.stdout)[0]["findings"] == []
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=10) == 0
        assert server.stdout is not None
        assert server.stdout.read() == ""
        server.stdout.close()


MIXED = CLEANABLE + """
[[device]]
platform = "ios"
serial = "00008110-001A2B3C4D5E801E"
product_type = "iPhone15,2"
os_version = "17.5.1"
imei = "356789012345678"
apps = [{ id = "com.tencent.xin", name = "WeChat" }, { id = "com.kaspersky.vpn", team_id = "2Y8XE5CQ94" }, "com.tencent.mqq"]

[[device]]
platform = "ios"
serial = "00008120-00114A2E0C38801E"
product_type = "iPhone16,1"
os_version = "18.1"
supervised = true
apps = ["com.microsoft.Office.Outlook"]
"""


def test_mixed_fleet_scans_and_removes_in_one_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USBMUXD_SOCKET_ADDRESS", raising=False)
    fleet = tmp_path / "mixed.toml"
    fleet.write_text(MIXED, encoding="utf-8")
    code, phones = run_json(capsys, "--data-dir", str(tmp_path / "d"), "remove", "--sim", str(fleet), "--json", "--yes")
    assert code == 0
    by_serial = {p["serial"]: p for p in phones}
    assert {p["platform"] for p in phones} == {"android", "ios"}
    iphone = by_serial["00008110-001A2B3C4D5E801E"]
    described = (iphone["model"], iphone["os_version"], iphone["imei"], iphone["supervised"])
    assert described == ("iPhone15,2", "17.5.1", "356789012345678", False)
    assert sorted(f["app_id"] for f in iphone["findings"]) == ["com.kaspersky.vpn", "com.tencent.xin"]
    assert sorted(r["app_id"] for r in iphone["removed"]) == ["com.kaspersky.vpn", "com.tencent.xin"]
    assert iphone["findings_after"] == [] and iphone["failed"] == []
    assert by_serial["00008120-00114A2E0C38801E"]["supervised"] is True
    assert by_serial["R58N12ABCDE"]["findings_after"] == []


def test_log_verify_export_and_public_key(fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "d")
    assert main(["--data-dir", data, "log", "verify"]) == 2  # nothing recorded yet: said plainly
    assert "no log in" in capsys.readouterr().err
    main(["--data-dir", data, "scan", "--sim", str(fleet), "--json"])
    capsys.readouterr()
    assert main(["--data-dir", data, "log", "verify", "--record", "1"]) == 0
    out = capsys.readouterr().out
    assert "log intact" in out and "record 1:" in out
    assert main(["--data-dir", data, "log", "export", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["seq"] for r in records] == list(range(1, len(records) + 1))
    assert {r["kind"] for r in records} >= {"scan"}
    assert main(["--data-dir", data, "log", "export", "--format", "csv", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out.strip().count("\n") == 0  # the header alone
    assert main(["--data-dir", data, "log", "public-key"]) == 0
    assert capsys.readouterr().out.startswith("-----BEGIN PUBLIC KEY-----")

    import sqlite3

    conn = sqlite3.connect(Path(data) / "station.db")
    with conn:
        conn.execute("UPDATE records SET serial = 'SOMEONE-ELSE' WHERE seq = 1")
    conn.close()
    assert main(["--data-dir", data, "log", "verify"]) == 1
    assert "record 1 (row 1)" in capsys.readouterr().out


def test_return_of_a_phone_that_refuses_a_usb_wipe_guides_the_operator_through_recovery(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fleet = tmp_path / "locked.toml"
    fleet.write_text(
        '[[device]]\nplatform = "android"\nserial = "LOCKED0001"\nmanufacturer = "Google"\nmodel = "Pixel 7a"\n'
        'os_version = "14"\nsecurity_patch = "2026-11-01"\napps = ["com.tencent.mm"]\nlock_screen = true\nreboot_s = 0.3\n',
        encoding="utf-8",
    )
    code = main(["--data-dir", str(tmp_path / "d"), "return", "--sim", str(fleet), "--operator", "Ana", "--json", "--yes"])
    captured = capsys.readouterr()
    (phone,) = json.loads(captured.out)
    assert code == 0 and phone["ready"] is True, captured.err
    assert "LOCKED0001: The phone is restarting into recovery" in captured.err and "Wipe data/factory reset" in captured.err
    items = {item["id"]: item["status"] for item in phone["checklist"]}
    assert (items["wipe"], items["factory-fresh"]) == ("fixed", "fixed")


def test_policy_check_warns_about_a_rule_without_its_french_reason_and_still_exits_0(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.core.test_policy import GOOD

    english_only = tmp_path / "english.toml"
    english_only.write_text(GOOD, encoding="utf-8")
    assert main(["policy", "check", str(english_only)]) == 0
    captured = capsys.readouterr()
    assert "ok" in captured.out
    assert captured.err.splitlines() == [
        f"warning: {english_only}: rule[{i}] ({rule}) reason_fr: missing; French-speaking operators see the English reason"
        for i, rule in enumerate(("wechat", "kaspersky"))]
    assert main(["policy", "check", str(Path(__file__).resolve().parents[1] / "policies" / "canada-tbs-2023.toml")]) == 0
    assert capsys.readouterr().err == ""  # every shipped rule has its French reason


def test_operator_language_and_report_language_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STATION_PIN", "123456")
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "operator", "add", "Élise Gagnon", "--badge", "7007", "--role", "supervisor", "--language", "fr"]) == 0
    assert "added Élise Gagnon (badge 7007, supervisor)" in capsys.readouterr().out
    store = Store.open(tmp_path / "data")
    try:
        assert Operators(store).find("7007").language is Language.FR
    finally:
        store.close()
    with pytest.raises(SystemExit):
        main([*data, "report", "X", "-o", str(tmp_path / "x.pdf"), "--lang", "de"])


def test_provision_json_says_the_phone_was_sealed_and_how_it_went_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fleet = tmp_path / "one.toml"
    fleet.write_text(
        '[[device]]\nplatform = "android"\nserial = "GOOD0001"\nmanufacturer = "Google"\nmodel = "Pixel 8"\n'
        f'os_version = "15"\nsecurity_patch = "{dt.date.today().isoformat()}"\napps = []\n',  # noqa: DTZ011 - the patch's age counts local days, as the check does
        encoding="utf-8",
    )
    code = main(["--data-dir", str(tmp_path / "d"), "provision", "--sim", str(fleet), "--operator", "Ana", "--json", "--yes"])
    captured = capsys.readouterr()
    (phone,) = json.loads(captured.out)
    assert code == 0 and phone["ready"] is True, captured.err
    assert phone["seal"]["state"] == "sealed" and phone["seal"]["handout"] == "restore-settings" and phone["seal"]["time"]
    assert "stopped answering over adb" in phone["seal"]["evidence"]
    assert {item["id"]: item["status"] for item in phone["checklist"]}["seal"] == "pass"
