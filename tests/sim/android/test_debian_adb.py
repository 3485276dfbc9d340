"""Debian's own `adb` client against a simulated phone: proof the simulation is not shaped to adb-shell."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.devices.android_parse import parse_accounts, parse_battery, parse_owners
from station.sim.server import FleetServer

pytestmark = [
    pytest.mark.debian_adb,
    pytest.mark.skipif(shutil.which("adb") is None, reason="Debian's adb is not installed (apt-get install adb)"),
]
SERIAL = "R58N12ABCDE"
TIMEOUT_S = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Adb:
    def __init__(self, home: Path) -> None:
        self.env = {**os.environ, "HOME": str(home), "ANDROID_ADB_SERVER_PORT": str(free_port())}

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["adb", *args], env=self.env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=TIMEOUT_S, check=False)


@pytest.fixture
def adb(tmp_path: Path) -> Iterator[Adb]:
    client = Adb(tmp_path)
    try:
        yield client
    finally:
        client("kill-server")


def wait_for_device(adb: Adb, address: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if f"{address}\tdevice" in adb("devices").stdout:
            return
        time.sleep(0.2)
    raise AssertionError(f"adb never listed {address} as an authorised device: {adb('devices').stdout!r}")


def test_connect_list_packages_push(served: FleetServer, adb: Adb, tmp_path: Path) -> None:
    address = next(endpoint.address for endpoint in served.endpoints if endpoint.serial == SERIAL)
    connected = adb("connect", address)
    assert connected.returncode == 0, connected.stderr
    wait_for_device(adb, address)

    listed = adb("-s", address, "shell", "pm list packages")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == ["package:com.android.settings", "package:com.kmsjp",
                                          "package:com.tencent.mm", "package:com.android.chrome"]

    failed = adb("-s", address, "shell", "pm", "uninstall", "com.not.there")
    assert (failed.returncode, failed.stderr) == (1, "Failure [not installed for 0]\n")  # exit code via shell v2

    local = tmp_path / "payload.bin"
    local.write_bytes(b"SIMAPK:com.example.pushed\n" + bytes(range(256)) * 1000)
    pushed = adb("-s", address, "push", str(local), "/data/local/tmp/x")
    assert pushed.returncode == 0, pushed.stderr
    assert served.phone(SERIAL).files["/data/local/tmp/x"] == local.read_bytes()

    installed = adb("-s", address, "shell", "pm install -r /data/local/tmp/x && rm /data/local/tmp/x")
    assert installed.stdout == "Success\n"
    assert "com.example.pushed" in served.phone(SERIAL).packages
    assert "/data/local/tmp/x" not in served.phone(SERIAL).files

    # What a return reads, through an independent client: the same replies the station parses.
    assert parse_battery(adb("-s", address, "shell", "dumpsys battery").stdout).level == served.phone(SERIAL).battery.level
    assert parse_accounts(adb("-s", address, "shell", "dumpsys account").stdout) == []
    assert parse_owners(adb("-s", address, "shell", "dpm list-owners").stdout) == []


def test_turning_usb_debugging_off_makes_the_phone_leave_adb(served: FleetServer, adb: Adb) -> None:
    """adb_enabled 0 stops adbd, as Android's AdbService does: the client sees the phone go, and cannot
    connect to it again."""
    address = next(e.address for e in served.endpoints if e.serial == SERIAL)
    adb("connect", address)
    wait_for_device(adb, address)
    adb("-s", address, "shell", "settings put global development_settings_enabled 0; settings put global adb_enabled 0")
    deadline = time.monotonic() + TIMEOUT_S
    while f"{address}\tdevice" in adb("devices").stdout and time.monotonic() < deadline:
        time.sleep(0.2)
    assert f"{address}\tdevice" not in adb("devices").stdout
    adb("disconnect", address)
    again = adb("connect", address)
    assert "failed" in again.stdout + again.stderr or "refused" in again.stdout + again.stderr
    assert served.phone(SERIAL).settings["global"]["adb_enabled"] == "0"
