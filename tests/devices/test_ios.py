"""The iPhone backend through the real pymobiledevice3 client against simulated iPhones."""

from __future__ import annotations

import asyncio
import plistlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station.core.errors import AuthorizationPending, AuthorizationRejected, DeviceDisconnected
from station.core.models import DeviceFacts, Platform
from station.core.notices import Notice, NoticeKind
from station.core.phone import Timeouts
from station.devices.ios import IosTarget, IosWatcher, IPhone, list_iphones
from station.sim.fleet import Fleet
from station.sim.ios.phone import SimIPhone, parse_ios_device
from station.sim.server import FleetServer

PAIRED = "00008110-001A2B3C4D5E801E"
SUPERVISED = "00008120-00114A2E0C38801E"
FAST = Timeouts(connect=5, approval=2, command=5, uninstall=5)


def iphone(udid: str, **keys: Any) -> SimIPhone:
    return parse_ios_device({"platform": "ios", "serial": udid, **keys}, "device", "fleet.toml")


@pytest.fixture
def ios_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FleetServer]:
    phones = [
        iphone(PAIRED, product_type="iPhone15,2", os_version="17.5.1", imei="356789012345678",
               apps=["com.tencent.xin", {"id": "com.kaspersky.vpn", "name": "Kaspersky VPN", "team_id": "2Y8XE5CQ94"}],
               system_apps=["com.apple.mobilesafari"],
               profiles=[{"identifier": "org.depot.wifi", "display_name": "Depot Wi-Fi", "payload_types": ["com.apple.wifi.managed"]}]),
        iphone(SUPERVISED, supervised=True, apps=["com.tencent.xin"]),
    ]
    with FleetServer(Fleet(ios=phones), latency=False, ios_reboot_s=0.2) as served:
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", served.usbmux_address)
        yield served


def target(server: FleetServer, udid: str, tmp_path: Path, timeouts: Timeouts = FAST) -> IosTarget:
    return IosTarget(udid, server.usbmux_address, tmp_path, timeouts)


async def connect(t: IosTarget, prompts: list[str] | None = None) -> IPhone:
    phone = await asyncio.wait_for(t.connect((prompts if prompts is not None else []).append), 20)
    assert isinstance(phone, IPhone)
    return phone


def test_discovery_identity_and_inventory_with_team_ids(ios_server: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> None:
        found = await list_iphones(ios_server.usbmux_address, tmp_path, FAST)
        assert sorted(t.udid for t in found) == sorted([PAIRED, SUPERVISED])
        phone = await connect(target(ios_server, PAIRED, tmp_path))
        try:
            identity = await phone.identity()
            inventory = await phone.inventory()
        finally:
            await phone.close()
        assert (identity.platform, identity.serial, identity.manufacturer) == (Platform.IOS, PAIRED, "Apple")
        assert (identity.model, identity.os_version, identity.imei) == ("iPhone15,2", "17.5.1", "356789012345678")
        assert identity.supervised is False and identity.hardware_serial
        apps = {app.app_id: app for app in inventory.apps}
        assert apps["com.kaspersky.vpn"].team_id == "2Y8XE5CQ94"
        assert apps["com.kaspersky.vpn"].name == "Kaspersky VPN"
        assert apps["com.apple.mobilesafari"].system and not apps["com.tencent.xin"].system

    asyncio.run(scenario())


def test_uninstall_is_gone_from_a_fresh_inventory_and_prints_nothing(
    ios_server: FleetServer, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    async def scenario() -> None:
        phone = await connect(target(ios_server, PAIRED, tmp_path))
        try:
            before = await phone.inventory()
            copies = [a for a in before.apps if a.app_id == "com.tencent.xin"]
            (attempt,) = await phone.uninstall("com.tencent.xin", copies)
            missing = await phone.uninstall("com.example.absent", [before.apps[0]])
            after = await phone.inventory()
        finally:
            await phone.close()
        assert attempt.ok and attempt.error is None
        assert not missing[0].ok and "ApplicationNotFound" in (missing[0].error or "")
        assert "com.tencent.xin" not in after.app_ids()

    asyncio.run(scenario())
    out, err = capfd.readouterr()
    assert out == "" and err == "", "no progress bar or stray output from the library"


def test_profiles_list_install_remove_and_supervision(ios_server: FleetServer, tmp_path: Path) -> None:
    profile = plistlib.dumps({
        "PayloadType": "Configuration", "PayloadVersion": 1, "PayloadIdentifier": "org.depot.block",
        "PayloadUUID": str(uuid.uuid4()).upper(), "PayloadDisplayName": "Depot app blocking",
        "PayloadContent": [{
            "PayloadType": "com.apple.applicationaccess", "PayloadVersion": 1,
            "PayloadIdentifier": "org.depot.block.apps", "PayloadUUID": str(uuid.uuid4()).upper(),
            "blockedAppBundleIDs": ["com.tencent.xin"],
        }],
    })

    async def scenario() -> None:
        phone = await connect(target(ios_server, SUPERVISED, tmp_path))
        try:
            assert (await phone.identity()).supervised is True
            await phone.install_profile(profile)
            installed = {p.identifier: p.name for p in await phone.profiles()}
            assert installed.get("org.depot.block") == "Depot app blocking"
            await phone.remove_profile("org.depot.block")
            assert "org.depot.block" not in {p.identifier for p in await phone.profiles()}
        finally:
            await phone.close()

    asyncio.run(scenario())
    assert ios_server.iphone(SUPERVISED).profiles == {}


def test_erase_resets_the_phone_which_comes_back_unpaired(ios_server: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> str:
        phone = await connect(target(ios_server, PAIRED, tmp_path))
        try:
            return await phone.wipe()
        finally:
            await phone.close()

    assert "told to erase" in asyncio.run(scenario())
    erased = ios_server.iphone(PAIRED)
    assert erased.erase_count == 1
    assert {app.bundle_id for app in erased.apps.values() if not app.system} == set()


@pytest.mark.parametrize(
    ("keys", "error", "words"),
    [
        ({"pairing": "deny"}, AuthorizationRejected, "Don't Trust"),
        ({"passcode_locked": True}, AuthorizationPending, "unlock it"),
        ({"pairing": 30}, AuthorizationPending, "tap Trust"),
    ],
)
def test_pairing_states_give_operator_messages(
    ios_server: FleetServer, tmp_path: Path, keys: dict[str, Any], error: type[Exception], words: str
) -> None:
    udid = "00008030-00AA11BB22CC801E"
    ios_server.attach(iphone(udid, paired=False, **keys))
    prompts: list[str] = []
    with pytest.raises(error, match=words):
        asyncio.run(connect(target(ios_server, udid, tmp_path, Timeouts(connect=5, approval=1, command=5)), prompts))


def test_trust_tapped_while_the_station_waits(ios_server: FleetServer, tmp_path: Path) -> None:
    udid = "00008030-00AA11BB22CC802E"
    ios_server.attach(iphone(udid, paired=False, pairing=1.0))
    prompts: list[str] = []

    async def scenario() -> str:
        phone = await connect(target(ios_server, udid, tmp_path, Timeouts(connect=5, approval=5, command=5)), prompts)
        try:
            return (await phone.identity()).serial
        finally:
            await phone.close()

    assert asyncio.run(scenario()) == udid
    assert prompts and "Trust" in prompts[0]
    assert (tmp_path / f"{udid}.plist").exists(), "the pairing is kept for next time"


def test_unplugged_mid_session_is_reported_as_disconnected(ios_server: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> None:
        phone = await connect(target(ios_server, PAIRED, tmp_path))
        try:
            await asyncio.to_thread(ios_server.unplug, PAIRED)
            with pytest.raises(DeviceDisconnected):
                await phone.inventory()
        finally:
            await phone.close()

    asyncio.run(scenario())


def test_watcher_sees_plug_and_unplug_within_a_second(ios_server: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> list[tuple[str, str, float]]:
        seen: list[tuple[str, str, float]] = []
        loop = asyncio.get_running_loop()
        watcher = IosWatcher(ios_server.usbmux_address, tmp_path, lambda notice: seen.append(("unavailable", str(notice), 0)), FAST)
        task = asyncio.create_task(
            watcher.watch(lambda t: seen.append(("arrived", t.address, loop.time())), lambda a: seen.append(("left", a, loop.time())))
        )
        await asyncio.sleep(0.3)
        start = loop.time()
        await asyncio.to_thread(ios_server.unplug, PAIRED)
        await asyncio.sleep(0.3)
        await asyncio.to_thread(ios_server.replug, PAIRED)
        await asyncio.sleep(0.3)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return [(kind, who, when - start) for kind, who, when in seen]

    seen = asyncio.run(scenario())
    assert sorted((k, w) for k, w, _ in seen[:2]) == sorted([("arrived", PAIRED), ("arrived", SUPERVISED)])
    left = [t for k, w, t in seen if k == "left" and w == PAIRED]
    back = [t for k, w, t in seen[2:] if k == "arrived" and w == PAIRED]
    assert left and left[0] < 1.0 and back and back[0] < 1.5


def test_watcher_says_once_when_there_is_no_usbmuxd(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{sock.getsockname()[1]}"

    async def scenario() -> list[Notice]:
        said: list[Notice] = []
        watcher = IosWatcher(address, tmp_path, said.append, FAST, retry_s=0.05)
        task = asyncio.create_task(watcher.watch(lambda t: None, lambda a: None))
        await asyncio.sleep(0.4)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return said

    said = asyncio.run(scenario())
    assert said == [Notice(NoticeKind.NO_USBMUXD)] and "usbmuxd" in str(said[0])


def test_security_facts_passcode_jailbreak_and_profiles(ios_server: FleetServer, tmp_path: Path) -> None:
    udid = "00008030-00AA11BB22CC803E"
    ios_server.attach(iphone(udid, passcode_set=False, apps=["com.saurik.Cydia"]))

    async def facts_of(serial: str) -> DeviceFacts:
        phone = await connect(target(ios_server, serial, tmp_path))
        try:
            return await phone.facts(await phone.inventory())
        finally:
            await phone.close()

    normal = asyncio.run(facts_of(PAIRED))
    jailbroken = asyncio.run(facts_of(udid))
    assert (normal.passcode_set, normal.encrypted, normal.root_signs) == (True, True, ())
    assert [p.identifier for p in normal.profiles] == ["org.depot.wifi"]
    assert (jailbroken.passcode_set, jailbroken.encrypted) == (False, False)
    assert jailbroken.root_signs == ("jailbreak app com.saurik.Cydia",)


def test_a_device_whose_id_is_not_a_udid_is_ignored_and_said(ios_server: FleetServer, tmp_path: Path) -> None:
    hostile = iphone(PAIRED)
    hostile.udid = "../../escape"  # a device id that would name a file outside the pairing records folder
    ios_server.attach(hostile)

    async def scenario() -> tuple[list[str], list[Notice], list[str]]:
        arrived: list[str] = []
        said: list[Notice] = []
        watcher = IosWatcher(ios_server.usbmux_address, tmp_path, said.append, FAST)
        task = asyncio.create_task(watcher.watch(lambda t: arrived.append(t.address), lambda _a: None))
        await asyncio.sleep(0.5)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        listed = [t.address for t in await list_iphones(ios_server.usbmux_address, tmp_path, FAST)]
        return arrived, said, listed

    arrived, said, listed = asyncio.run(scenario())
    assert sorted(arrived) == sorted(listed) == sorted([PAIRED, SUPERVISED])
    assert said == [Notice(NoticeKind.NOT_A_UDID, "../../escape")]
    assert str(said[0]) == "usbmuxd announced a device whose id '../../escape' is not an iPhone UDID; it is ignored"
