"""How a phone leaves the depot, end to end through the simulators: a returned Android phone wiped by Test
Harness Mode goes out with that mode's settings put back (restore-settings) or reset by hand to its setup
screens (guided-reset), and provisioning's last step seals it: the station sees its own access end."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.audit.records import RecordKind
from station.audit.store import Store
from station.core.checklist import Handout, SealState, Workflow, load_workflow
from station.core.errors import DeviceUnreachable
from station.core.language import ReportLanguage
from station.core.phone import PhoneTarget, Timeouts
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.devices.ios import IosTarget
from station.report.document import latest_checklist
from station.report.pdf import write_pdf
from station.sim.android.phone import TEST_HARNESS_GLOBAL, TEST_HARNESS_PROPERTY
from station.sim.server import FleetServer
from station.workbench.engine import Engine, PhoneReport
from tests.support import address_of, serving_bench

WORKFLOWS = Path(__file__).resolve().parents[2] / "policies" / "workflows"
FAST = Timeouts(connect=3, approval=1, command=5, uninstall=5)
FAST_IOS = Timeouts(connect=5, approval=5, command=5, uninstall=5)
RECENT = "2026-10-05"
IPHONE = "00008120-00114A2E0C38801E"
# What a phone set up by its user holds for the settings Test Harness Mode changes (Android's defaults).
SET_UP = {"global.verifier_verify_adb_installs": "1", "global.ota_disable_automatic_update": "0",
          "global.stay_on_while_plugged_in": "0"}

FLEET = f"""
[[device]]
platform = "android"
serial = "RESTORE001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
security_patch = "{RECENT}"
apps = ["com.tencent.mm"]
reboot_s = 0.3
[device.settings]
{chr(10).join(f'"{key}" = "{value}"' for key, value in SET_UP.items())}

[[device]]
platform = "android"
serial = "GUIDED0001"
manufacturer = "samsung"
model = "SM-S911W"
os_version = "14"
security_patch = "{RECENT}"
apps = []
reboot_s = 0.3
in_recovery = "reset-to-setup"

[[device]]
platform = "android"
serial = "OLDPATCH01"
manufacturer = "samsung"
model = "SM-A515W"
os_version = "13"
security_patch = "2023-01-01"
apps = []

[[device]]
platform = "ios"
serial = "{IPHONE}"
product_type = "iPhone16,1"
os_version = "18.1"
supervised = true
apps = ["com.tencent.xin"]
"""


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FleetServer, Path]]:
    with serving_bench(FLEET, tmp_path, monkeypatch) as served:
        yield served


def target(bench: tuple[FleetServer, Path], serial: str) -> PhoneTarget:
    server, folder = bench
    if serial.startswith("0000"):
        return IosTarget(serial, server.usbmux_address, folder, FAST_IOS)
    return AdbTcpTarget(*address_of(server, serial), load_or_create_signer(folder), FAST)


def run(bench: tuple[FleetServer, Path], serial: str, workflow: Workflow, store: Store) -> PhoneReport:
    policy = load_policy(default_policy_path())
    engine = Engine(policy, store, store.start_run(workflow.purpose, policy))
    return asyncio.run(engine.run_workflow(target(bench, serial), workflow, wipe_return_s=10, recovery_return_s=10))


def guided(tmp_path: Path) -> Workflow:
    text = (WORKFLOWS / "provision.toml").read_text(encoding="utf-8").replace('handout = "restore-settings"', 'handout = "guided-reset"')
    path = tmp_path / "provision-guided.toml"
    path.write_text(text, encoding="utf-8")
    return load_workflow(path)


def statuses(report: PhoneReport) -> dict[str, str]:
    return {r.item.id: str(r.status) for r in report.checklist or []}


def test_a_returned_android_phone_goes_out_with_test_harness_settings_put_back_and_is_sealed(
        bench: tuple[FleetServer, Path], tmp_path: Path, qapp: object) -> None:
    server, _ = bench
    phone = server.phone("RESTORE001")
    names = [*SET_UP, "global.adb_allowed_connection_time"]
    before = {name: phone.settings[name.split(".")[0]].get(name.split(".", 1)[1]) for name in names}
    store = Store.in_memory()
    returned = run(bench, "RESTORE001", load_workflow(WORKFLOWS / "return.toml"), store)
    assert returned.ready is True
    assert phone.properties[TEST_HARNESS_PROPERTY] == "1" and bool(phone.lock_screen_disabled)  # set up for testing
    assert all(phone.settings["global"][key] == value for key, value in TEST_HARNESS_GLOBAL.items())

    report = run(bench, "RESTORE001", load_workflow(WORKFLOWS / "provision.toml"), store)

    assert report.ready is True and statuses(report)["seal"] == "pass"
    assert report.seal is not None and report.seal.state is SealState.SEALED and report.seal.handout is Handout.RESTORE_SETTINGS
    assert report.seal.time is not None and "stopped answering over adb" in report.seal.evidence
    after = {name: phone.settings[name.split(".")[0]].get(name.split(".", 1)[1]) for name in before}
    assert after == before  # as before Test Harness Mode
    assert not phone.lock_screen_disabled
    assert phone.settings["global"]["adb_enabled"] == "0" and phone.settings["global"]["development_settings_enabled"] == "0"
    with pytest.raises(DeviceUnreachable):
        asyncio.run(target(bench, "RESTORE001").connect(lambda _message: None))
    kinds = [r.kind for r in store.records("RESTORE001")]
    assert kinds.index(RecordKind.SEAL_STARTED) < kinds.index(RecordKind.HANDOUT_SETTINGS) < kinds.index(RecordKind.SEAL_RESULT)
    assert kinds[-1] == RecordKind.CHECKLIST
    checklist = store.latest("RESTORE001", RecordKind.CHECKLIST)
    assert checklist is not None and checklist.data["seal"]["state"] == "sealed" and checklist.data["handout"] == "restore-settings"
    pdf = tmp_path / "sealed.pdf"  # the printed checklist says so, on its one bilingual page
    write_pdf([latest_checklist(store, "RESTORE001", "Depot")], pdf, ReportLanguage.BOTH)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Sealed / Scellé" in text and "Test Harness settings put back" in text
    assert "Pages:           1" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_guided_reset_leaves_the_phone_at_its_setup_screens_and_out_of_the_stations_reach(
        bench: tuple[FleetServer, Path], tmp_path: Path) -> None:
    server, _ = bench
    phone = server.phone("GUIDED0001")
    store = Store.in_memory()
    run(bench, "GUIDED0001", load_workflow(WORKFLOWS / "return.toml"), store)
    report = run(bench, "GUIDED0001", guided(tmp_path), store)

    assert report.ready is True and report.seal is not None and report.seal.sealed
    assert report.seal.handout is Handout.GUIDED_RESET and "setup screens" in report.seal.evidence
    assert store.latest("GUIDED0001", RecordKind.GUIDED_RESET) is not None
    deadline = time.monotonic() + 5
    while phone.settings["secure"].get("user_setup_complete") != "0" and time.monotonic() < deadline:
        time.sleep(0.1)  # the simulated operator resets it in recovery, after its reboot_s
    assert phone.settings["secure"]["user_setup_complete"] == "0" and phone.settings["global"]["device_provisioned"] == "0"
    assert phone.settings["global"]["adb_enabled"] == "0" and TEST_HARNESS_PROPERTY not in phone.properties
    assert "com.android.settings" not in {p for p, pkg in phone.packages.items() if not pkg.system}
    time.sleep(0.5)
    with pytest.raises(DeviceUnreachable):  # it stays away: USB debugging is off at the setup screens
        asyncio.run(target(bench, "GUIDED0001").connect(lambda _message: None))


def test_a_phone_that_did_not_pass_is_not_sealed_and_stays_reachable(bench: tuple[FleetServer, Path]) -> None:
    server, _ = bench
    store = Store.in_memory()
    report = run(bench, "OLDPATCH01", load_workflow(WORKFLOWS / "provision.toml"), store)
    assert report.ready is False and statuses(report)["seal"] == "skipped"
    assert report.seal is not None and report.seal.state is SealState.NOT_SEALED
    assert "the checklist did not pass (security-patch failed)" in report.seal.evidence
    assert server.phone("OLDPATCH01").settings["global"]["adb_enabled"] == "1"
    assert asyncio.run(target(bench, "OLDPATCH01").lets_station_in()) is True


def test_a_sealed_iphone_no_longer_trusts_the_station_and_asks_again(bench: tuple[FleetServer, Path]) -> None:
    server, folder = bench
    store = Store.in_memory()
    report = run(bench, IPHONE, load_workflow(WORKFLOWS / "provision.toml"), store)
    assert report.ready is True and report.seal is not None and report.seal.sealed and report.seal.handout is None
    assert "Trust This Computer?" in report.seal.evidence
    phone = server.iphone(IPHONE)
    assert not phone.trusted_hosts and not phone.paired
    assert not (folder / f"{IPHONE}.plist").exists()
    assert asyncio.run(target(bench, IPHONE).lets_station_in()) is False
    phone.pairing = "deny"  # the next person at this PC is asked to trust it, and the user says no
    with pytest.raises(Exception, match="Don't Trust"):
        asyncio.run(target(bench, IPHONE).connect(lambda _message: None))
