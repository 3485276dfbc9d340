"""pymobiledevice3, the station's own iOS library, against simulated iPhones over the real protocols."""

from __future__ import annotations

import asyncio
import datetime
import plistlib
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import (
    AppInstallError,
    BadDevError,
    ConnectionFailedError,
    GetProhibitedError,
    PairingDialogResponsePendingError,
    PasswordRequiredError,
    ProfileError,
    UserDeniedPairingError,
)
from pymobiledevice3.lockdown import UsbmuxLockdownClient, create_using_usbmux
from pymobiledevice3.services.installation_proxy import InstallationProxyService
from pymobiledevice3.services.mobile_config import MobileConfigService

from station.sim.fleet import Fleet
from station.sim.ios.phone import SimIPhone, parse_ios_device
from station.sim.server import FleetServer

T = TypeVar("T")
PAIRED = "00008110-001A2B3C4D5E801E"
SUPERVISED = "00008120-00114A2E0C38801E"
CALL_TIMEOUT_S = 10.0


def make_phone(udid: str, **keys: Any) -> SimIPhone:
    return parse_ios_device({"platform": "ios", "serial": udid, **keys}, "device", "fleet.toml")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coroutine, CALL_TIMEOUT_S)
    return asyncio.run(bounded())


@pytest.fixture
def phones() -> list[SimIPhone]:
    return [
        make_phone(PAIRED, device_name="Depot 7", imei="356789012345678",
                   apps=["com.tencent.xin", {"id": "com.zhiliaoapp.musically", "name": "TikTok", "version": "34.1"}],
                   system_apps=["com.apple.mobilesafari"],
                   profiles=[{"identifier": "org.depot.wifi", "display_name": "Depot Wi-Fi",
                              "payload_types": ["com.apple.wifi.managed"]}]),
        make_phone(SUPERVISED, supervised=True, apps=["com.tencent.xin"], system_apps=["com.apple.Preferences"]),
    ]


@pytest.fixture
def server(phones: list[SimIPhone], monkeypatch: pytest.MonkeyPatch) -> Iterator[FleetServer]:
    with FleetServer(Fleet(ios=phones), latency=False, ios_reboot_s=0.2) as served:
        # pymobiledevice3 saves pair records to usbmuxd without passing the address on.
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", served.usbmux_address)
        yield served


async def lockdown(server: FleetServer, udid: str, folder: Path, **options: Any) -> UsbmuxLockdownClient:
    return await create_using_usbmux(udid, usbmux_address=server.usbmux_address, pairing_records_cache_folder=folder,
                                     **options)


def test_list_devices(server: FleetServer) -> None:
    devices = run(usbmux.list_devices(usbmux_address=server.usbmux_address))
    assert [(device.serial, device.connection_type) for device in devices] == [(PAIRED, "USB"), (SUPERVISED, "USB")]


def test_paired_phone_opens_a_session_with_the_record_usbmuxd_holds(server: FleetServer, tmp_path: Path) -> None:
    async def scenario() -> dict[str, Any]:
        client = await lockdown(server, PAIRED, tmp_path, autopair=False)
        async with client:
            assert client.paired
            return dict(client.all_values)
    values = run(scenario())
    assert values["UniqueDeviceID"] == PAIRED
    assert (values["ProductType"], values["ProductVersion"], values["DeviceName"]) == ("iPhone15,2", "17.5.1", "Depot 7")
    assert values["InternationalMobileEquipmentIdentity"] == "356789012345678"
    assert values["DeviceClass"] == "iPhone" and len(values["SerialNumber"]) == 10
    assert list(tmp_path.iterdir()) == []  # nothing had to be paired


def test_unpaired_phone_shows_only_public_values(server: FleetServer, tmp_path: Path) -> None:
    server.attach(make_phone("00008030-001A2B3C4D5E802E", paired=False))

    async def scenario() -> tuple[bool, dict[str, Any]]:
        client = await lockdown(server, "00008030-001A2B3C4D5E802E", tmp_path, autopair=False)
        async with client:
            with pytest.raises(GetProhibitedError):
                await client.get_value(key="SerialNumber")
            return client.paired, dict(client.all_values)
    paired, values = run(scenario())
    assert not paired
    assert values["UniqueDeviceID"] == "00008030-001A2B3C4D5E802E" and values["ProductVersion"] == "17.5.1"
    assert "SerialNumber" not in values and "InternationalMobileEquipmentIdentity" not in values


def test_trust_pairs_and_saves_the_record(server: FleetServer, tmp_path: Path) -> None:
    udid = "00008030-001A2B3C4D5E802E"
    phone = make_phone(udid, paired=False)
    server.attach(phone)

    async def scenario() -> bool:
        async with await lockdown(server, udid, tmp_path, autopair=True) as client:
            return client.paired
    assert run(scenario())
    assert phone.paired and len(phone.trusted_hosts) == 1
    record = plistlib.loads((tmp_path / f"{udid}.plist").read_bytes())
    assert record["HostID"] in phone.trusted_hosts and record["EscrowBag"]
    # The record went to usbmuxd too: the next client finds it there.
    assert run(usbmux_pair_record(server, udid))["HostID"] == record["HostID"]


async def usbmux_pair_record(server: FleetServer, udid: str) -> dict[str, Any]:
    mux = await usbmux.create_mux(usbmux_address=server.usbmux_address)
    try:
        assert isinstance(mux, usbmux.PlistMuxConnection)
        return await mux.get_pair_record(udid)
    finally:
        await mux.close()


@pytest.mark.parametrize(("keys", "error"), [
    ({"pairing": "deny"}, UserDeniedPairingError),
    ({"pairing": 30}, PairingDialogResponsePendingError),
    ({"passcode_locked": True}, PasswordRequiredError),
])
def test_pairing_refused(server: FleetServer, tmp_path: Path, keys: dict[str, Any], error: type[Exception]) -> None:
    udid = "00008030-001A2B3C4D5E802E"
    phone = make_phone(udid, paired=False, **keys)
    server.attach(phone)
    with pytest.raises(error):
        run(lockdown(server, udid, tmp_path, autopair=True, pair_timeout=0))
    assert not phone.paired and not list(tmp_path.glob("*.plist"))


def test_trust_tapped_after_a_delay(server: FleetServer, tmp_path: Path) -> None:
    udid = "00008030-001A2B3C4D5E802E"
    server.attach(make_phone(udid, paired=False, pairing=0.3))
    with pytest.raises(PairingDialogResponsePendingError):
        run(lockdown(server, udid, tmp_path, autopair=True, pair_timeout=0))
    time.sleep(0.35)

    async def scenario() -> bool:
        async with await lockdown(server, udid, tmp_path, autopair=True, pair_timeout=0) as client:
            return client.paired
    assert run(scenario())


def test_connect_refusals(server: FleetServer) -> None:
    async def scenario() -> None:
        devices = await usbmux.list_devices(usbmux_address=server.usbmux_address)
        with pytest.raises(ConnectionFailedError):
            await devices[0].connect(1234, usbmux_address=server.usbmux_address)
        gone = usbmux.MuxDevice(99, "00000000-0000000000000000", "USB")
        with pytest.raises(BadDevError):
            await gone.connect(62078, usbmux_address=server.usbmux_address)
    run(scenario())


def test_browse_lookup_uninstall(server: FleetServer, phones: list[SimIPhone], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with await lockdown(server, PAIRED, tmp_path) as client, InstallationProxyService(lockdown=client) as proxy:
            apps = {app["CFBundleIdentifier"]: app for app in await proxy.browse()}
            assert set(apps) == {"com.apple.mobilesafari", "com.tencent.xin", "com.zhiliaoapp.musically"}
            tiktok = apps["com.zhiliaoapp.musically"]
            assert (tiktok["CFBundleDisplayName"], tiktok["CFBundleShortVersionString"]) == ("TikTok", "34.1")
            assert tiktok["ApplicationType"] == "User" and apps["com.apple.mobilesafari"]["ApplicationType"] == "System"
            team = tiktok["Entitlements"]["com.apple.developer.team-identifier"]
            assert tiktok["Entitlements"]["application-identifier"] == f"{team}.com.zhiliaoapp.musically"
            assert tiktok["SignerIdentity"] == "Apple iPhone OS Application Signing"

            user_apps = await proxy.get_apps(application_type="User")
            assert set(user_apps) == {"com.tencent.xin", "com.zhiliaoapp.musically"}
            found = await proxy.lookup({"BundleIDs": ["com.tencent.xin"], "ReturnAttributes": ["CFBundleIdentifier"]})
            assert found == {"com.tencent.xin": {"CFBundleIdentifier": "com.tencent.xin"}}

            await proxy.uninstall("com.zhiliaoapp.musically")
            with pytest.raises(AppInstallError, match="ApplicationNotFound"):
                await proxy.uninstall("com.zhiliaoapp.musically")
            with pytest.raises(AppInstallError, match="UninstallProhibited"):
                await proxy.uninstall("com.apple.mobilesafari")
            remaining = [app["CFBundleIdentifier"] for app in await proxy.browse(attributes=["CFBundleIdentifier"])]
            assert "com.zhiliaoapp.musically" not in remaining
    run(scenario())
    assert "com.zhiliaoapp.musically" not in phones[0].apps


def restrictions_profile(identifier: str, blocked: list[str]) -> bytes:
    return plistlib.dumps({
        "PayloadType": "Configuration", "PayloadIdentifier": identifier, "PayloadUUID": "6B0F2C1E-0000-4000-8000-000000000001",
        "PayloadVersion": 1, "PayloadDisplayName": "Banned apps",
        "PayloadContent": [{"PayloadType": "com.apple.applicationaccess", "PayloadIdentifier": f"{identifier}.r",
                            "PayloadUUID": "6B0F2C1E-0000-4000-8000-000000000002", "PayloadVersion": 1,
                            "blockedAppBundleIDs": blocked}],
    })


def test_profiles_install_list_remove(server: FleetServer, phones: list[SimIPhone], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with await lockdown(server, PAIRED, tmp_path) as client, MobileConfigService(lockdown=client) as config:
            listed = await config.get_profile_list()
            assert listed["OrderedIdentifiers"] == ["org.depot.wifi"]
            assert listed["ProfileMetadata"]["org.depot.wifi"]["PayloadDisplayName"] == "Depot Wi-Fi"

            await config.install_profile(restrictions_profile("org.depot.banned", ["com.tencent.xin"]))
            listed = await config.get_profile_list()
            assert listed["OrderedIdentifiers"] == ["org.depot.wifi", "org.depot.banned"]
            assert listed["ProfileManifest"]["org.depot.banned"]["IsActive"]

            await config.remove_profile("org.depot.wifi")
            assert (await config.get_profile_list())["OrderedIdentifiers"] == ["org.depot.banned"]
            with pytest.raises(ProfileError):
                await config.install_profile(b"not a profile")
            cloud = await config.get_cloud_configuration()
            assert cloud is not None and cloud["IsSupervised"] is False
    run(scenario())
    banned = phones[0].profiles["org.depot.banned"]
    assert banned.payload_types == ["com.apple.applicationaccess"] and banned.blocked_app_ids == ["com.tencent.xin"]


@pytest.fixture
def supervisor_keybag(tmp_path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Depot supervisor")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    path = tmp_path / "supervisor.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return path


def test_silent_install_needs_supervision(server: FleetServer, phones: list[SimIPhone], tmp_path: Path,
                                          supervisor_keybag: Path) -> None:
    profile = restrictions_profile("org.depot.banned", ["com.tencent.xin"])

    async def scenario() -> None:
        async with await lockdown(server, SUPERVISED, tmp_path) as client, MobileConfigService(lockdown=client) as config:
            cloud = await config.get_cloud_configuration()
            assert cloud is not None and cloud["IsSupervised"] is True
            await config.install_profile_silent(supervisor_keybag, profile)
        async with await lockdown(server, PAIRED, tmp_path) as client, MobileConfigService(lockdown=client) as config:
            with pytest.raises(ProfileError, match="4001"):
                await config.install_profile_silent(supervisor_keybag, profile)
    run(scenario())
    assert "org.depot.banned" in phones[1].profiles and "org.depot.banned" not in phones[0].profiles


def test_erase_resets_the_phone_and_replugs_it_unpaired(server: FleetServer, phones: list[SimIPhone],
                                                        tmp_path: Path) -> None:
    async def scenario() -> list[str]:
        mux = await usbmux.create_mux(usbmux_address=server.usbmux_address)
        try:
            await mux.listen()
            await attached_now(mux, len(phones))
            async with await lockdown(server, PAIRED, tmp_path) as client, MobileConfigService(lockdown=client) as config:
                await config.erase_device(preserve_data_plan=False, disallow_proximity_setup=True)
            events: list[str] = []
            while len(events) < 2:
                await asyncio.wait_for(mux.receive_device_state_update(), 2)
                events.append("attached" if any(d.serial == PAIRED for d in mux.devices) else "detached")
        finally:
            await mux.close()
        async with await lockdown(server, PAIRED, tmp_path, autopair=False) as client:
            assert not client.paired
            assert client.all_values["ActivationState"] == "Unactivated"
        return events
    assert run(scenario()) == ["detached", "attached"]
    phone = phones[0]
    assert list(phone.apps) == ["com.apple.mobilesafari"] and phone.profiles == {} and not phone.paired


async def attached_now(mux: usbmux.MuxConnection, count: int) -> None:
    """A new listener first hears of every phone already attached, as with the real usbmuxd."""
    for _ in range(count):
        await asyncio.wait_for(mux.receive_device_state_update(), 1)
    assert len(mux.devices) == count


def test_listen_sees_hotplug_within_a_second(server: FleetServer) -> None:
    udid = "00008030-001A2B3C4D5E802E"

    async def scenario() -> None:
        mux = await usbmux.create_mux(usbmux_address=server.usbmux_address)
        try:
            await mux.listen()
            await attached_now(mux, 2)
            before = {device.serial for device in mux.devices}
            server.attach(make_phone(udid))
            await asyncio.wait_for(mux.receive_device_state_update(), 1)
            assert {device.serial for device in mux.devices} == before | {udid}
            server.unplug(udid)
            await asyncio.wait_for(mux.receive_device_state_update(), 1)
            assert {device.serial for device in mux.devices} == before
        finally:
            await mux.close()
    run(scenario())


def test_latency_applies_per_request(server: FleetServer, tmp_path: Path) -> None:
    udid = "00008030-001A2B3C4D5E802E"
    server.attach(make_phone(udid, latency_ms=150))

    async def scenario() -> float:
        async with await lockdown(server, udid, tmp_path) as client:
            started = time.monotonic()
            await client.get_value(key="ProductVersion")
            return time.monotonic() - started
    assert run(scenario()) >= 0.15


def test_unpair_makes_the_phone_forget_the_host_so_it_asks_to_trust_again(server: FleetServer, tmp_path: Path) -> None:
    """lockdown's Unpair, as `idevicepair unpair` and the station's seal send it."""
    phone = server.iphone(PAIRED)
    phone.pairing = 30.0  # the user has not answered the Trust dialog yet

    async def unpair() -> None:
        async with await lockdown(server, PAIRED, tmp_path, autopair=False) as client:
            assert client.paired
            await client.unpair()

    async def paired_again() -> bool:
        async with await lockdown(server, PAIRED, tmp_path, autopair=False) as client:
            return client.paired

    run(unpair())
    assert not phone.trusted_hosts and not phone.paired
    assert run(paired_again()) is False  # the record usbmuxd still holds no longer opens a session
    with pytest.raises(PairingDialogResponsePendingError):  # pairing again shows "Trust This Computer?"
        run(lockdown(server, PAIRED, tmp_path, autopair=True, pair_timeout=0))
