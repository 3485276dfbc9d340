"""The Android backend through the real adb-shell client against simulated phones."""

from __future__ import annotations

import asyncio
import datetime as dt
import stat
from pathlib import Path

import pytest

from station.core.errors import AuthorizationPending, AuthorizationRejected, DeviceUnreachable
from station.core.models import DeviceFacts, Inventory
from station.core.phone import Timeouts
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget, AndroidPhone
from station.sim.server import FleetServer
from tests.support import address_of

FAST = Timeouts(connect=3, approval=0.5, command=5, uninstall=5)


def target(served: FleetServer, serial: str, data_dir: Path, timeouts: Timeouts = FAST) -> AdbTcpTarget:
    host, port = address_of(served, serial)
    return AdbTcpTarget(host, port, load_or_create_signer(data_dir), timeouts)


async def connect(t: AdbTcpTarget, prompts: list[str] | None = None) -> AndroidPhone:
    phone = await t.connect((prompts if prompts is not None else []).append)
    assert isinstance(phone, AndroidPhone)
    return phone


def test_station_key_is_made_once_owner_only_and_reused(tmp_path: Path) -> None:
    first = load_or_create_signer(tmp_path)
    second = load_or_create_signer(tmp_path)
    assert first.GetPublicKey() == second.GetPublicKey()
    assert stat.S_IMODE((tmp_path / "adbkey").stat().st_mode) == 0o600


def test_identity_and_inventory_cover_every_user(served: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> None:
        prompts: list[str] = []
        phone = await connect(target(served, "R58N12ABCDE", tmp_path), prompts)
        try:
            identity = await phone.identity()
            inventory = await phone.inventory()
        finally:
            await phone.close()
        assert prompts and "Allow" in prompts[0]  # first contact shows the phone's prompt
        assert (identity.serial, identity.manufacturer, identity.model) == ("R58N12ABCDE", "samsung", "SM-S911W")
        assert (identity.os_version, identity.sdk, identity.security_patch) == ("14", "34", "2024-09-01")
        assert inventory.users == (0, 10)
        placed = {(app.app_id, app.user) for app in inventory.apps}
        assert {("com.tencent.mm", 0), ("com.tencent.mm", 10), ("com.zhiliaoapp.musically", 10)} <= placed
        assert ("com.zhiliaoapp.musically", 0) not in placed
        kaspersky = next(a for a in inventory.apps if a.app_id == "com.kaspersky.security.cloud" and a.user == 0)
        assert kaspersky.system and not kaspersky.enabled
        wechat = next(a for a in inventory.apps if a.app_id == "com.tencent.mm" and a.user == 0)
        assert not wechat.system and wechat.enabled and wechat.installer == "com.android.vending"

    asyncio.run(scenario())


def test_accepted_key_is_remembered_so_second_connection_needs_no_prompt(served: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> list[str]:
        t = target(served, "R58N12ABCDE", tmp_path)
        await (await connect(t)).close()
        prompts: list[str] = []
        await (await connect(t, prompts)).close()
        return prompts

    assert asyncio.run(scenario()) == []


def test_user_app_is_removed_for_every_user(served: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> None:
        phone = await connect(target(served, "R58N12ABCDE", tmp_path))
        try:
            before = await phone.inventory()
            copies = [a for a in before.apps if a.app_id == "com.tencent.mm"]
            attempts = await phone.uninstall("com.tencent.mm", copies)
            after = await phone.inventory()
        finally:
            await phone.close()
        assert sorted((a.user, a.ok, a.method) for a in attempts) == [(0, True, "pm uninstall"), (10, True, "pm uninstall")]
        assert "com.tencent.mm" not in after.app_ids()
        assert "com.tencent.mobileqq" in after.app_ids()

    asyncio.run(scenario())


def test_preinstalled_app_is_removed_per_user_and_says_so(served: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> None:
        phone = await connect(target(served, "R58N12ABCDE", tmp_path))
        try:
            before = await phone.inventory()
            copies = [a for a in before.apps if a.app_id == "com.kaspersky.security.cloud"]
            assert {a.user for a in copies} == {0, 10}
            attempts = await phone.uninstall("com.kaspersky.security.cloud", copies)
            after = await phone.inventory()
        finally:
            await phone.close()
        assert sorted(a.method for a in attempts) == ["pm uninstall --user 0", "pm uninstall --user 10"]
        assert all(a.ok and "factory reset" in a.notes[0] for a in attempts)
        assert "com.kaspersky.security.cloud" not in after.app_ids()

    asyncio.run(scenario())


def test_pending_approval_tells_the_operator_to_tap_allow(served: FleetServer, tmp_path: Path) -> None:
    prompts: list[str] = []
    with pytest.raises(AuthorizationPending, match="tap Allow"):
        asyncio.run(connect(target(served, "PENDING0001", tmp_path), prompts))
    assert prompts, "the operator is told while the station waits"


def test_rejected_key_is_reported_as_refused(served: FleetServer, tmp_path: Path) -> None:
    with pytest.raises(AuthorizationRejected, match="refused"):
        asyncio.run(connect(target(served, "REJECT0001", tmp_path)))


def test_nothing_listening_is_unreachable(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    t = AdbTcpTarget("127.0.0.1", port, load_or_create_signer(tmp_path), FAST)
    with pytest.raises(DeviceUnreachable, match=f"127.0.0.1:{port}"):
        asyncio.run(connect(t))


def test_phone_unplugged_mid_command_fails_at_once_with_a_clear_message(tmp_path: Path) -> None:
    from station.core.errors import DeviceDisconnected
    from station.sim.fleet import load_fleet

    fleet = tmp_path / "slow.toml"
    fleet.write_text(
        '[[device]]\nplatform = "android"\nserial = "SLOW0001"\nmanufacturer = "Google"\nmodel = "Pixel 6"\n'
        'os_version = "13"\nsecurity_patch = "2024-01-05"\napps = ["com.tencent.mm"]\nlatency_ms = 400\n',
        encoding="utf-8",
    )
    slow = Timeouts(connect=3, approval=3, command=20, uninstall=20)

    async def scenario(server: FleetServer) -> float:
        phone = await connect(target(server, "SLOW0001", tmp_path, slow))
        loop = asyncio.get_running_loop()
        loop.call_later(0.1, server.unplug, "SLOW0001")
        started = loop.time()
        try:
            with pytest.raises(DeviceDisconnected, match="plug it back in"):
                await phone.inventory()
        finally:
            await phone.close()
        return loop.time() - started

    with FleetServer(load_fleet(fleet), latency=False) as server:
        elapsed = asyncio.run(scenario(server))
    assert elapsed < 5, "an unplugged phone is reported at once, not after the 20 s command timeout"


def test_a_phone_that_stops_answering_times_out_with_a_clear_message(tmp_path: Path) -> None:
    from station.core.errors import DeviceTimeout
    from station.sim.fleet import load_fleet

    fleet = tmp_path / "hung.toml"
    fleet.write_text(
        '[[device]]\nplatform = "android"\nserial = "HUNG0001"\nmanufacturer = "Google"\nmodel = "Pixel 6"\n'
        'os_version = "13"\napps = []\n',
        encoding="utf-8",
    )
    quick = Timeouts(connect=3, approval=3, command=0.5, uninstall=0.5)

    async def scenario(server: FleetServer) -> None:
        phone = await connect(target(server, "HUNG0001", tmp_path, quick))
        server.phone("HUNG0001").latency_ms = 5000  # from now on the phone takes 5 s to answer anything
        try:
            with pytest.raises(DeviceTimeout, match=r"no answer within 0.5 s"):
                await phone.identity()
        finally:
            await phone.close()

    with FleetServer(load_fleet(fleet), latency=False) as server:
        asyncio.run(scenario(server))


def test_security_facts_of_a_clean_and_of_a_rooted_unlocked_phone(tmp_path: Path) -> None:
    from station.sim.fleet import load_fleet

    fleet = tmp_path / "facts.toml"
    fleet.write_text(
        '[[device]]\nplatform = "android"\nserial = "CLEAN0001"\nmanufacturer = "Google"\nmodel = "Pixel 8"\nos_version = "15"\n'
        'apps = []\n[device.settings]\n"global.development_settings_enabled" = "0"\n"secure.install_non_market_apps" = "0"\n\n'
        '[[device]]\nplatform = "android"\nserial = "ROOTED0001"\nmanufacturer = "Xiaomi"\nmodel = "Redmi Note 9"\nos_version = "11"\n'
        'apps = ["com.topjohnwu.magisk"]\nrooted = true\n'
        '[device.properties]\n"ro.boot.verifiedbootstate" = "orange"\n"ro.boot.flash.locked" = "0"\n"ro.build.tags" = "test-keys"\n'
        '"ro.crypto.state" = "unencrypted"\n"ro.debuggable" = "1"\n',
        encoding="utf-8",
    )

    async def facts_of(server: FleetServer, serial: str) -> DeviceFacts:
        phone = await connect(target(server, serial, tmp_path))
        try:
            return await phone.facts(await phone.inventory())
        finally:
            await phone.close()

    with FleetServer(load_fleet(fleet), latency=False) as server:
        clean = asyncio.run(facts_of(server, "CLEAN0001"))
        rooted = asyncio.run(facts_of(server, "ROOTED0001"))
    assert (clean.encrypted, clean.verified_boot, clean.bootloader_locked) == (True, "green", True)
    assert clean.root_signs == () and clean.developer_options is False and clean.unknown_sources is False
    assert (rooted.encrypted, rooted.verified_boot, rooted.bootloader_locked) == (False, "orange", False)
    assert rooted.developer_options is True and rooted.unknown_sources is None
    assert set(rooted.root_signs) == {
        "su binary at /system/xbin/su",
        "build signed with test keys (ro.build.tags=test-keys)",
        "debuggable build (ro.debuggable=1)",
        "root manager app com.topjohnwu.magisk",
    }


def test_a_secure_folder_the_shell_may_not_list_is_said_and_no_banned_app_is_ruled_out_there(tmp_path: Path) -> None:
    """A Samsung phone with a Secure Folder (user 150) refuses the shell its app list; the station reads
    the owner's apps, names the user it could not read, and the no-banned-apps check fails on it."""
    from station.core.checklist import Evidence, Item, Status, judge
    from station.core.policy import default_policy_path, load_policy
    from station.devices.android_parse import shell_denied_user
    from station.sim.fleet import load_fleet
    from tests.support import captured

    assert shell_denied_user(captured("android/pm-list-packages-secure-folder-denied.txt")) == 150
    fleet = tmp_path / "secure-folder.toml"
    fleet.write_text(
        '[[device]]\nplatform = "android"\nserial = "R58SECURE01"\nmanufacturer = "samsung"\nmodel = "SM-A525F"\n'
        'os_version = "13"\nsecurity_patch = "2026-10-01"\napps = ["com.android.chrome"]\n'
        '[[device.user]]\nid = 150\nname = "Secure Folder"\nflags = "10061030"\nshell_access = false\napps = ["com.tencent.mm"]\n',
        encoding="utf-8",
    )

    async def read(server: FleetServer) -> Inventory:
        phone = await connect(target(server, "R58SECURE01", tmp_path))
        try:
            return await phone.inventory()
        finally:
            await phone.close()

    with FleetServer(load_fleet(fleet), latency=False) as server:
        inventory = asyncio.run(read(server))
    assert inventory.users == (0, 150) and inventory.unreadable_users == (150,)
    assert {app.app_id for app in inventory.apps} == {"com.android.chrome"}  # user 150's WeChat could not be seen
    item = Item("no-banned-apps", "No banned app installed", True, check="no_banned_apps")
    verdict = judge(item, Evidence(inventory.identity, inventory, DeviceFacts(), load_policy(default_policy_path()),
                                   dt.datetime.now(dt.UTC).date()))
    assert verdict.status is Status.FAIL and "the apps of user 150 could not be listed" in verdict.evidence
