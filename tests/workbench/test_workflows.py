"""Phones taken through the provisioning and returns checklists, end to end through the simulators."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.audit.operators import Operator, Role
from station.audit.store import Store
from station.core import events
from station.core.checklist import load_workflow
from station.core.phone import PhoneTarget, Timeouts
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.devices.ios import IosTarget
from station.sim.ios.lockdownd import LOCKDOWN_PORT, Lockdownd
from station.sim.ios.plist_wire import DeviceStream
from station.sim.server import FleetServer
from station.workbench.engine import Engine, PhoneReport
from tests.support import address_of, serving_bench

WORKFLOWS = Path(__file__).resolve().parents[2] / "policies" / "workflows"
FAST = Timeouts(connect=3, approval=1, command=5, uninstall=5)
FAST_IOS = Timeouts(connect=5, approval=5, command=5, uninstall=5)
ANA = Operator("Ana Tremblay", "1001", Role.SUPERVISOR)  # the engine records whom the session checked
RECENT = "2026-10-05"

FLEET = f"""
[[device]]
platform = "android"
serial = "GOOD0001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
security_patch = "{RECENT}"
apps = ["com.tencent.mm", "com.microsoft.teams"]
reboot_s = 0.3

[[device]]
platform = "android"
serial = "OLDPATCH01"
manufacturer = "samsung"
model = "SM-A515W"
os_version = "13"
security_patch = "2023-01-01"
apps = []

[[device]]
platform = "android"
serial = "ROOTED0001"
manufacturer = "Xiaomi"
model = "Redmi Note 9"
os_version = "13"
security_patch = "{RECENT}"
apps = ["com.topjohnwu.magisk"]
rooted = true
[device.properties]
"ro.boot.verifiedbootstate" = "orange"
"ro.boot.flash.locked" = "0"

[[device]]
platform = "android"
serial = "STICKY0001"
manufacturer = "Google"
model = "Pixel 7"
os_version = "14"
security_patch = "{RECENT}"
apps = ["com.zhiliaoapp.musically"]
sticky_apps = ["com.zhiliaoapp.musically"]

[[device]]
platform = "android"
serial = "SLOW0001"
manufacturer = "Google"
model = "Pixel 6"
os_version = "14"
security_patch = "{RECENT}"
apps = ["com.tencent.mm"]
latency_ms = 300

[[device]]
platform = "android"
serial = "LOCKED0001"
manufacturer = "Google"
model = "Pixel 7a"
os_version = "14"
security_patch = "{RECENT}"
apps = ["com.tencent.mm"]
lock_screen = true
reboot_s = 0.3

[[device]]
platform = "android"
serial = "FORGOT0001"
manufacturer = "samsung"
model = "SM-G960W"
os_version = "10"
security_patch = "{RECENT}"
apps = ["com.tencent.mm"]
lock_screen = true
reboot_s = 0.3
in_recovery = "reboot"

[[device]]
platform = "ios"
serial = "00008120-00114A2E0C38801E"
product_type = "iPhone16,1"
os_version = "18.1"
supervised = true
apps = ["com.tencent.xin", "com.microsoft.Office.Outlook"]

[[device]]
platform = "ios"
serial = "00008030-001A2B3C4D5E802E"
product_type = "iPhone12,8"
os_version = "17.5"
apps = ["com.zhiliaoapp.musically"]
"""


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FleetServer, Path]]:
    with serving_bench(FLEET, tmp_path, monkeypatch) as served:
        yield served


def run(server: FleetServer, tmp_path: Path, serial: str, workflow: str, store: Store | None = None,
        listener: events.Listener | None = None) -> PhoneReport:
    policy = load_policy(default_policy_path())
    store = store or Store.in_memory()
    engine = Engine(policy, store, store.start_run(workflow, policy), listener)
    engine.operator = ANA
    target: PhoneTarget
    if serial.startswith("0000"):
        target = IosTarget(serial, server.usbmux_address, tmp_path, FAST_IOS)
    else:
        target = AdbTcpTarget(*address_of(server, serial), load_or_create_signer(tmp_path), FAST)
    return asyncio.run(engine.run_workflow(target, load_workflow(WORKFLOWS / f"{workflow}.toml"),
                                            wipe_return_s=10, recovery_return_s=10))


def statuses(report: PhoneReport) -> dict[str, str]:
    return {r.item.id: str(r.status) for r in report.checklist or []}


def test_good_android_phone_is_cleaned_and_ready(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    report = run(server, tmp, "GOOD0001", "provision")
    got = statuses(report)
    assert report.ready is True, got
    assert (got["remove-banned-apps"], got["no-banned-apps"], got["security-patch"]) == ("fixed", "fixed", "pass")
    assert got["blocking-profile"] == "skipped"
    assert "com.tencent.mm" not in server.phone("GOOD0001").packages


@pytest.mark.parametrize(
    ("serial", "failing"),
    [
        ("OLDPATCH01", {"security-patch"}),
        ("ROOTED0001", {"not-rooted", "verified-boot"}),
        ("STICKY0001", {"no-banned-apps"}),  # the phone said Success and kept the app
    ],
)
def test_phones_that_fail_what_the_station_cannot_fix_are_not_ready(
        bench: tuple[FleetServer, Path], serial: str, failing: set[str]) -> None:
    server, tmp = bench
    report = run(server, tmp, serial, "provision")
    assert report.ready is False
    mandatory_failures = {r.item.id for r in report.checklist or [] if r.item.mandatory and str(r.status) == "fail"}
    assert mandatory_failures == failing


def test_supervised_iphone_gets_the_blocking_profile_and_is_ready(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    udid = "00008120-00114A2E0C38801E"
    report = run(server, tmp, udid, "provision")
    got = statuses(report)
    assert report.ready is True, got
    assert (got["install-blocking-profile"], got["blocking-profile"], got["no-banned-apps"]) == ("fixed", "fixed", "fixed")
    (profile,) = server.iphone(udid).profiles.values()
    assert "com.tencent.xin" in profile.blocked_app_ids


def test_an_iphone_is_provisioned_over_one_lockdown_connection_and_one_start_of_each_service(
        bench: tuple[FleetServer, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each service start is a StartService, a usbmuxd connection and a TLS handshake for the phone: a job
    starts each service it needs once and keeps it for the job (a dozen starts a phone slowed a full hub)."""
    server, tmp = bench
    udid = "00008120-00114A2E0C38801E"
    started: list[str] = []
    sessions: list[Lockdownd] = []
    start_service, serve = Lockdownd.start_service, Lockdownd.serve

    def counted_start(daemon: Lockdownd, name: str) -> int:
        started.append(name)
        return start_service(daemon, name)

    async def counted_serve(daemon: Lockdownd, port: int, stream: DeviceStream) -> None:
        if port == LOCKDOWN_PORT:
            sessions.append(daemon)
        await serve(daemon, port, stream)

    monkeypatch.setattr(Lockdownd, "start_service", counted_start)
    monkeypatch.setattr(Lockdownd, "serve", counted_serve)
    report = run(server, tmp, udid, "provision")
    assert report.ready is True, statuses(report)
    assert "com.tencent.xin" not in server.iphone(udid).apps  # the removal went through the one connection too
    # The job's own session, and the seal's look at whether the phone still lets this station in, which
    # needs a session of its own (the unpaired phone refuses it).
    assert report.seal is not None and report.seal.sealed
    assert len(sessions) == 2
    assert sorted(started) == ["com.apple.mobile.MCInstall", "com.apple.mobile.diagnostics_relay",
                               "com.apple.mobile.installation_proxy"]


def test_unsupervised_iphone_is_told_plainly(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    report = run(server, tmp, "00008030-001A2B3C4D5E802E", "provision")
    results = {r.item.id: r for r in report.checklist or []}
    assert report.ready is False and str(results["supervised"].status) == "fail"
    assert "approve it in Settings" in results["install-blocking-profile"].evidence


def test_unplugged_mid_workflow_keeps_what_was_recorded_and_can_be_finished(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    store = Store.in_memory()
    pulled: list[threading.Thread] = []

    def pull_the_cable_when_removal_starts(event: events.Event) -> None:
        if isinstance(event, events.StepChanged) and event.step == "removing" and not pulled:
            pulled.append(threading.Thread(target=server.unplug, args=["SLOW0001"]))
            pulled[0].start()

    report = run(server, tmp, "SLOW0001", "provision", store, pull_the_cable_when_removal_starts)
    pulled[0].join()
    assert report.error_kind == "DeviceDisconnected" and report.ready is None
    kinds = [r.kind for r in store.records("SLOW0001")]
    assert "intake" in kinds and "action_started" in kinds and "error" in kinds and "checklist" not in kinds
    server.replug("SLOW0001")
    again = run(server, tmp, "SLOW0001", "provision", store)
    assert again.ready is True
    assert [r.kind for r in store.records("SLOW0001")].count("checklist") == 1


def test_returned_android_phone_intake_is_evidence_then_wiped_and_verified(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    store = Store.in_memory()
    report = run(server, tmp, "GOOD0001", "return", store)
    got = statuses(report)
    assert report.ready is True, got
    assert (got["wipe"], got["factory-fresh"], got["no-banned-apps"]) == ("fixed", "fixed", "fixed")
    records = list(store.records("GOOD0001"))
    (intake,) = [r for r in records if r.kind == "return_intake"]
    assert intake.data["flagged_for_follow_up"] is True
    assert [f["app_id"] for f in intake.data["findings"]] == ["com.tencent.mm"]
    assert all(r.operator == str(ANA) for r in records)


def test_phone_refusing_a_wipe_over_usb_is_reset_by_hand_in_recovery_and_verified(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    store = Store.in_memory()
    seen: list[events.Event] = []
    report = run(server, tmp, "LOCKED0001", "return", store, seen.append)
    got = statuses(report)
    assert report.ready is True, got
    assert (got["wipe"], got["factory-fresh"], got["no-banned-apps"]) == ("fixed", "fixed", "fixed")
    (guide,) = [e for e in seen if isinstance(e, events.Wiped)]
    assert guide.by_hand and "Wipe data/factory reset" in guide.message
    # The reset forgot the station's key, so the phone asked to Allow it again before it was verified.
    assert any(isinstance(e, events.NeedsApproval) for e in seen[seen.index(guide):])
    kinds = [r.kind for r in store.records("LOCKED0001")]
    assert kinds.index("recovery_reboot") < kinds.index("verification") < kinds.index("checklist")


def test_phone_brought_back_from_recovery_without_the_reset_is_not_ready(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    report = run(server, tmp, "FORGOT0001", "return")
    got = statuses(report)
    assert report.ready is False
    assert got["factory-fresh"] == "fail" and got["no-banned-apps"] == "fail"
    assert "com.tencent.mm" in server.phone("FORGOT0001").packages


def test_returned_iphone_is_erased_and_verified_after_it_comes_back(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    udid = "00008030-001A2B3C4D5E802E"
    report = run(server, tmp, udid, "return")
    got = statuses(report)
    assert report.ready is True, got
    assert got["wipe"] == "fixed" and got["factory-fresh"] == "fixed"
    assert server.iphone(udid).erase_count == 1


def test_depot_workflow_installs_its_apps_and_applies_settings(bench: tuple[FleetServer, Path]) -> None:
    server, tmp = bench
    policy = load_policy(default_policy_path())
    store = Store.in_memory()
    engine = Engine(policy, store, store.start_run("provision", policy))
    workflow = load_workflow(Path(__file__).resolve().parents[1] / "data" / "workflow-with-apps" / "provision.toml")
    target = AdbTcpTarget(*address_of(server, "OLDPATCH01"), load_or_create_signer(tmp), FAST)
    report = asyncio.run(engine.run_workflow(target, workflow))
    got = statuses(report)
    assert report.ready is True, got
    assert (got["install-agent"], got["settings"], got["agent-present"]) == ("fixed", "fixed", "fixed")
    phone = server.phone("OLDPATCH01")
    assert "ca.gc.depot.agent" in phone.packages and phone.settings["secure"]["install_non_market_apps"] == "0"
    assert not [f for f in phone.files if f.startswith("/data/local/tmp/station-")], "the pushed copy is removed"


def test_workflow_naming_a_missing_apk_is_refused(tmp_path: Path) -> None:
    from station.core.checklist import WorkflowError

    path = tmp_path / "wf.toml"
    path.write_text('[workflow]\nid = "x"\nname = "X"\npurpose = "provision"\n[[item]]\nid = "a"\ntitle = "A"\n'
                    'action = "install_required_apps"\nandroid = ["absent.apk"]\n', encoding="utf-8")
    with pytest.raises(WorkflowError, match=r"no such APK file: 'absent\.apk'"):
        load_workflow(path)
