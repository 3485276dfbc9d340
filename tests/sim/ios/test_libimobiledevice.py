"""Debian's libimobiledevice tools against simulated iPhones: proof the simulation is not shaped to
pymobiledevice3. They find usbmuxd through USBMUXD_SOCKET_ADDRESS and keep pair records in it
(SavePairRecord/ReadPairRecord, SystemBUID through ReadBUID), so HOME only needs to be empty."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.sim.fleet import Fleet
from station.sim.ios.phone import SimIPhone, parse_ios_device
from station.sim.server import FleetServer

pytestmark = pytest.mark.skipif(
    shutil.which("ideviceinfo") is None or shutil.which("ideviceinstaller") is None,
    reason="libimobiledevice tools are not installed (apt-get install libimobiledevice-utils ideviceinstaller)",
)
PAIRED = "00008110-001A2B3C4D5E801E"
UNPAIRED = "00008030-001A2B3C4D5E802E"
TIMEOUT_S = 20


@pytest.fixture
def phones() -> list[SimIPhone]:
    return [
        parse_ios_device({"platform": "ios", "serial": PAIRED, "os_version": "16.7.8", "imei": "356789012345678",
                          "apps": ["com.tencent.xin", {"id": "com.zhiliaoapp.musically", "name": "TikTok",
                                                       "version": "34.1"}],
                          "system_apps": ["com.apple.mobilesafari"]}, "device[1]", "fleet.toml"),
        parse_ios_device({"platform": "ios", "serial": UNPAIRED, "paired": False}, "device[2]", "fleet.toml"),
    ]


class Tools:
    def __init__(self, server: FleetServer, home: Path) -> None:
        self.env = {**os.environ, "HOME": str(home), "USBMUXD_SOCKET_ADDRESS": server.usbmux_address}

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), env=self.env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=TIMEOUT_S, check=False)


@pytest.fixture
def tools(phones: list[SimIPhone], tmp_path: Path) -> Iterator[Tools]:
    with FleetServer(Fleet(ios=phones), latency=False) as server:
        yield Tools(server, tmp_path)


def test_idevice_id_lists_both_phones(tools: Tools) -> None:
    result = tools("idevice_id", "-l")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [PAIRED, UNPAIRED]


def test_ideviceinfo_reads_a_paired_phone(tools: Tools) -> None:
    version = tools("ideviceinfo", "-u", PAIRED, "-k", "ProductVersion")
    assert (version.returncode, version.stdout) == (0, "16.7.8\n"), version.stderr
    everything = tools("ideviceinfo", "-u", PAIRED)
    assert everything.returncode == 0, everything.stderr
    lines = dict(line.split(": ", 1) for line in everything.stdout.splitlines() if ": " in line)
    assert lines["UniqueDeviceID"] == PAIRED and lines["InternationalMobileEquipmentIdentity"] == "356789012345678"
    assert lines["BuildVersion"] == "20H343" and lines["ProductType"] == "iPhone15,2"


def test_ideviceinfo_pairs_an_unpaired_phone(tools: Tools, phones: list[SimIPhone]) -> None:
    result = tools("ideviceinfo", "-u", UNPAIRED, "-k", "SerialNumber")
    assert (result.returncode, result.stdout.strip()) == (0, phones[1].serial_number), result.stderr
    assert phones[1].paired and len(phones[1].trusted_hosts) == 1
    assert tools("ideviceinfo", "-u", UNPAIRED, "-k", "DeviceName").stdout == "iPhone\n"
    assert len(phones[1].trusted_hosts) == 1  # the second run used the record saved in usbmuxd


def test_ideviceinstaller_lists_and_uninstalls(tools: Tools, phones: list[SimIPhone]) -> None:
    listed = tools("ideviceinstaller", "-u", PAIRED, "-l")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "CFBundleIdentifier, CFBundleVersion, CFBundleDisplayName",
        'com.tencent.xin, "1.0", "xin"',
        'com.zhiliaoapp.musically, "34.1", "TikTok"',
    ]
    removed = tools("ideviceinstaller", "-u", PAIRED, "-U", "com.tencent.xin")
    assert removed.returncode == 0 and "Uninstall: Complete" in removed.stdout, removed.stderr
    assert "com.tencent.xin" not in phones[0].apps
    every = tools("ideviceinstaller", "-u", PAIRED, "-l", "-o", "list_all").stdout
    assert "com.apple.mobilesafari" in every and "com.tencent.xin" not in every
    missing = tools("ideviceinstaller", "-u", PAIRED, "-U", "com.tencent.xin")
    assert "ApplicationNotFound" in missing.stdout + missing.stderr


def test_ideviceinfo_reads_find_my_and_idevicediagnostics_the_battery(tools: Tools) -> None:
    """The returns' readings through libimobiledevice: the fmip domain and the AppleSmartBattery entry."""
    find_my = tools("ideviceinfo", "-u", PAIRED, "-q", "com.apple.fmip", "-k", "IsAssociated")
    assert find_my.returncode == 0, find_my.stderr
    assert find_my.stdout.strip() == "false"
    battery = tools("idevicediagnostics", "-u", PAIRED, "ioregentry", "AppleSmartBattery")
    assert battery.returncode == 0, battery.stderr
    for key in ("CurrentCapacity", "CycleCount", "DesignCapacity", "NominalChargeCapacity", "AppleRawMaxCapacity"):
        assert f"<key>{key}</key>" in battery.stdout
