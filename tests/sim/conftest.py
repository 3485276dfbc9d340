"""Shared pieces for the simulator tests: fleet files, an adb key, a served fleet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from adb_shell.auth.keygen import keygen
from adb_shell.auth.sign_cryptography import CryptographySigner

from station.sim.fleet import Fleet, load_fleet
from station.sim.server import FleetServer

FLEET_TOML = """
[[device]]
platform = "android"
serial = "R58N12ABCDE"
manufacturer = "samsung"
model = "SM-S911W"
os_version = "14"
security_patch = "2024-09-01"
apps = ["com.tencent.mm", {id = "com.android.chrome", version_code = 6099, installer = "com.android.vending"}]
system_apps = ["com.android.settings", "com.kmsjp"]
disabled = ["com.android.chrome"]
[[device.user]]
id = 10
name = "Work profile"
apps = ["com.tencent.mm", "com.whatsapp"]
[device.properties]
"ro.crypto.state" = "encrypted"
[device.settings]
"global.development_settings_enabled" = "1"

[[device]]
platform = "android"
serial = "PENDING01"
manufacturer = "Google"
model = "Pixel 6"
os_version = "13"
apps = ["org.telegram.messenger"]
auth = "pending"

[[device]]
platform = "android"
serial = "REJECT01"
manufacturer = "motorola"
model = "moto g"
os_version = "8.1"
auth = "reject"
auth_delay_s = 0.05

[[device]]
platform = "ios"
serial = "00008030-001A2B3C4D5E802E"
product_type = "iPhone15,2"
"""


def write_fleet(tmp_path: Path, text: str, name: str = "fleet.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def fleet_path(tmp_path: Path) -> Path:
    return write_fleet(tmp_path, FLEET_TOML)


@pytest.fixture
def fleet(fleet_path: Path) -> Fleet:
    return load_fleet(fleet_path)


@pytest.fixture(scope="session")
def adb_key_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("adbkey") / "adbkey")
    keygen(path)
    return path


@pytest.fixture(scope="session")
def signer(adb_key_path: str) -> CryptographySigner:
    return CryptographySigner(adb_key_path)


@pytest.fixture
def served(fleet: Fleet) -> Iterator[FleetServer]:
    with FleetServer(fleet, latency=False) as server:
        yield server


def address_of(server: FleetServer, serial: str) -> tuple[str, int]:
    for endpoint in server.endpoints:
        if endpoint.serial == serial:
            host, port = endpoint.address.rsplit(":", 1)
            return host, int(port)
    raise KeyError(serial)
