"""Returned phones still tied to their users' accounts are not wiped, end to end through the simulators:
the gate is read before the wipe, the refusal is recorded with what the user must do, unknown blocks as
firmly as a lock, and only a supervisor's override wipes such a phone, which then stays locked."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.audit.operators import Operator, Role
from station.audit.signoff import Override
from station.audit.store import Store
from station.core.checklist import load_workflow
from station.core.phone import PhoneTarget, Timeouts
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.devices.ios import IosTarget
from station.sim.android import dumpsys
from station.sim.server import FleetServer
from station.workbench.engine import Engine, PhoneReport
from tests.support import address_of, serving_bench

WORKFLOW = Path(__file__).resolve().parents[2] / "policies" / "workflows" / "return.toml"
FAST = Timeouts(connect=3, approval=1, command=5, uninstall=5)
FAST_IOS = Timeouts(connect=5, approval=5, command=5, uninstall=5)
SUPERVISOR = Operator("Marie Roy", "9001", Role.SUPERVISOR)
OVERRIDE = Override("user left the company; IT holds the account recovery", SUPERVISOR)
FIND_MY = "00008110-001A2B3C4D5E801E"
FREE_IPHONE = "00008030-001A2B3C4D5E802E"

FLEET = f"""
[[device]]
platform = "android"
serial = "GOOGLE0001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
apps = ["com.tencent.mm"]
accounts = [{{ type = "com.google", name = "jane.doe@gmail.com" }}]
device_owner = "com.example.mdm/.AdminReceiver"
reboot_s = 0.3

[[device]]
platform = "android"
serial = "SAMSUNG001"
manufacturer = "samsung"
model = "SM-S911W"
os_version = "14"
apps = []
accounts = [{{ type = "com.osp.app.signin", name = "jane@example.com" }}]
reboot_s = 0.3

[[device]]
platform = "android"
serial = "FREE000001"
manufacturer = "samsung"
model = "SM-A546W"
os_version = "14"
apps = ["com.tencent.mm"]
accounts = [{{ type = "com.whatsapp", name = "Jane" }}]
battery = {{ capacity_percent = 70 }}
reboot_s = 0.3

[[device]]
platform = "ios"
serial = "{FIND_MY}"
find_my = true
apps = ["com.tencent.xin"]
mdm = {{ organization = "Example Corp", server = "https://mdm.example.com/enroll" }}

[[device]]
platform = "ios"
serial = "{FREE_IPHONE}"
apps = ["com.tencent.xin"]
"""


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FleetServer, Path]]:
    with serving_bench(FLEET, tmp_path, monkeypatch) as served:
        yield served


def run(bench: tuple[FleetServer, Path], serial: str, store: Store, override: Override | None = None) -> PhoneReport:
    server, tmp_path = bench
    policy = load_policy(default_policy_path())
    engine = Engine(policy, store, store.start_run("return", policy))
    target: PhoneTarget
    if serial.startswith("0000"):
        target = IosTarget(serial, server.usbmux_address, tmp_path, FAST_IOS)
    else:
        target = AdbTcpTarget(*address_of(server, serial), load_or_create_signer(tmp_path), FAST)
    return asyncio.run(engine.run_workflow(target, load_workflow(WORKFLOW), wipe_return_s=10, recovery_return_s=10,
                                            wipe_override=override))


def items(report: PhoneReport) -> dict[str, tuple[str, str]]:
    return {r.item.id: (str(r.status), r.evidence) for r in report.checklist or []}


def kinds(store: Store, serial: str) -> list[str]:
    return [r.kind for r in store.records(serial)]


def test_android_phone_with_a_google_account_is_not_wiped_and_the_user_is_told_what_to_do(bench: tuple[FleetServer, Path]) -> None:
    server, _ = bench
    store = Store.in_memory()
    report = run(bench, "GOOGLE0001", store)
    got = items(report)
    assert report.ready is False
    assert got["wipe"][0] == "fail" and got["wipe"][1].startswith("not wiped")
    assert "remove the Google account jane.doe@gmail.com" in got["wipe"][1]
    assert got["account-lock"][0] == "fail" and "Factory Reset Protection" in got["account-lock"][1]
    phone = server.phone("GOOGLE0001")
    assert "com.tencent.mm" in phone.packages and not phone.frp_accounts  # untouched: nothing was reset
    assert "wipe_started" not in kinds(store, "GOOGLE0001") and "wipe_refused" in kinds(store, "GOOGLE0001")
    (intake,) = [r for r in store.records("GOOGLE0001") if r.kind == "return_intake"]
    assert intake.data["flagged_for_follow_up"] is True and intake.data["account_lock"]["gate"] == "locked"
    (facts,) = [r for r in store.records("GOOGLE0001") if r.kind == "intake_facts"]
    assert facts.data["accounts"] == [{"type": "com.google", "name": "jane.doe@gmail.com", "user": 0}]
    assert facts.data["management"] == ["device owner com.example.mdm/.AdminReceiver (user 0)"]


def test_a_samsung_account_blocks_the_wipe_too(bench: tuple[FleetServer, Path]) -> None:
    report = run(bench, "SAMSUNG001", Store.in_memory())
    assert report.account_lock is not None and "Samsung Reactivation Lock" in report.account_lock.evidence
    assert items(report)["wipe"][0] == "fail"


def test_accounts_the_phone_does_not_list_block_the_wipe(bench: tuple[FleetServer, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    server, _ = bench
    monkeypatch.setattr(dumpsys, "_account_dump", lambda phone: "Can't find service: account\n")
    report = run(bench, "FREE000001", Store.in_memory())
    assert report.account_lock is not None and report.account_lock.gate == "unknown"
    assert items(report)["wipe"][0] == "fail" and "com.tencent.mm" in server.phone("FREE000001").packages


def test_a_phone_with_no_locking_account_is_wiped_and_its_weak_battery_is_only_advised(bench: tuple[FleetServer, Path]) -> None:
    server, _ = bench
    report = run(bench, "FREE000001", Store.in_memory())
    got = items(report)
    assert report.ready is True, got
    assert got["wipe"][0] == "fixed" and "com.tencent.mm" not in server.phone("FREE000001").packages
    # A Samsung phone says what its battery still holds (a Pixel does not): advisory, so still ready.
    assert got["battery"][0] == "fail" and "70% of its design capacity" in got["battery"][1]


def test_a_supervisors_override_wipes_the_phone_which_stays_locked_to_the_account(bench: tuple[FleetServer, Path]) -> None:
    server, _ = bench
    store = Store.in_memory()
    report = run(bench, "GOOGLE0001", store, OVERRIDE)
    got = items(report)
    assert got["wipe"][0] == "fail" and "Marie Roy's override" in got["wipe"][1]
    assert report.ready is False  # the fresh reading lists no account, but FRP holds the phone: the wipe item says so
    history = kinds(store, "GOOGLE0001")
    assert history.index("wipe_override") < history.index("wipe_started")
    (override,) = [r for r in store.records("GOOGLE0001") if r.kind == "wipe_override"]
    assert (override.data["supervisor_badge"], override.data["reason"]) == ("9001", OVERRIDE.reason)
    phone = server.phone("GOOGLE0001")
    # What the gate prevents: the reset phone asks for jane.doe@gmail.com before it can be set up.
    assert [a.name for a in phone.frp_accounts] == ["jane.doe@gmail.com"]
    assert phone.settings["secure"]["user_setup_complete"] == "0"


def test_an_iphone_with_find_my_on_is_not_erased(bench: tuple[FleetServer, Path]) -> None:
    server, _ = bench
    store = Store.in_memory()
    report = run(bench, FIND_MY, store)
    got = items(report)
    assert got["wipe"][0] == "fail" and "sign out of iCloud" in got["wipe"][1]
    assert server.iphone(FIND_MY).erase_count == 0 and "wipe_refused" in kinds(store, FIND_MY)
    assert report.facts is not None and report.facts.find_my is True
    assert report.facts.management == (("enrolled by Example Corp through Apple device enrolment "
                                        "(MDM server https://mdm.example.com/enroll); the MDM profile cannot be removed"),)
    assert report.facts.battery is not None and report.facts.battery.capacity_percent == 96


def test_an_iphone_erased_under_override_comes_back_activation_locked(bench: tuple[FleetServer, Path]) -> None:
    server, _ = bench
    report = run(bench, FIND_MY, Store.in_memory(), OVERRIDE)
    got = items(report)
    assert got["wipe"][0] == "fail" and "cannot be handed out" in got["wipe"][1]
    assert server.iphone(FIND_MY).erase_count == 1
    assert server.iphone(FIND_MY).activation_locked
    assert got["account-lock"][0] == "fail"  # the fresh reading still shows Find My: not ready to hand out


def test_an_iphone_with_find_my_off_is_erased(bench: tuple[FleetServer, Path]) -> None:
    server, _ = bench
    report = run(bench, FREE_IPHONE, Store.in_memory())
    assert report.ready is True, items(report)
    assert server.iphone(FREE_IPHONE).erase_count == 1
