"""Shared test material: a small simulated bench and how to reach its phones."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.audit.operators import Operator, Operators, Role
from station.audit.store import Store
from station.sim.fleet import Fleet, load_fleet
from station.sim.server import FleetServer

FLEET = """
[[device]]
platform = "android"
serial = "R58N12ABCDE"
manufacturer = "samsung"
model = "SM-S911W"
os_version = "14"
security_patch = "2024-09-01"
apps = ["com.tencent.mm", "com.android.chrome", "com.tencent.mobileqq"]
system_apps = ["com.android.settings", "com.kaspersky.security.cloud"]
disabled = ["com.kaspersky.security.cloud"]

[[device.user]]
id = 10
name = "Work profile"
apps = ["com.tencent.mm", "com.zhiliaoapp.musically"]

[[device]]
platform = "android"
serial = "PENDING0001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
security_patch = "2024-11-05"
apps = ["com.android.chrome"]
auth = "pending"

[[device]]
platform = "android"
serial = "REJECT0001"
manufacturer = "Google"
model = "Pixel 7"
os_version = "14"
security_patch = "2024-10-05"
apps = []
auth = "reject"
"""


# The PIN of first_supervisor: what the station_pin fixture (tests/conftest.py) puts in $STATION_PIN.
OPERATOR_PIN = "246813"


def first_supervisor(data_dir: Path, name: str = "Ana Tremblay", badge: str = "1001", pin: str = OPERATOR_PIN) -> Operator:
    """A station's first operator, a supervisor, in the log of ``data_dir``: whom a CLI command that
    changes phones names with --operator and $STATION_PIN."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(data_dir)
    try:
        return Operators(store).add(name, badge, Role.SUPERVISOR, pin, None)
    finally:
        store.close()


def address_of(server: FleetServer, serial: str) -> tuple[str, int]:
    (endpoint,) = [e for e in server.endpoints if e.serial == serial]
    host, _, port = endpoint.address.rpartition(":")
    return host, int(port)


def android_fleet(folder: Path, serial: str, **keys: object) -> Fleet:
    """A fleet file of one Android phone (a Google Pixel 8 on Android 15 unless ``keys`` say otherwise),
    written in ``folder`` and loaded as the simulator loads it."""
    entry = {"platform": "android", "serial": serial, "manufacturer": "Google", "model": "Pixel 8", "os_version": "15", **keys}
    path = folder / f"{serial}.toml"
    path.write_text("[[device]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in entry.items()), encoding="utf-8")
    return load_fleet(path)


DATA = Path(__file__).resolve().parent / "data"


def captured(name: str) -> str:
    """A captured device output under tests/data/, without the comment lines at its top that say where
    its format comes from."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines)


@contextlib.contextmanager
def serving_bench(fleet_text: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FleetServer, Path]]:
    """The fleet ``fleet_text`` served from ``folder`` (phones answering at once, an erased iPhone back in
    0.3 s), with pymobiledevice3 pointed at its usbmuxd; yields the server and the folder."""
    path = folder / "fleet.toml"
    path.write_text(fleet_text, encoding="utf-8")
    with FleetServer(load_fleet(path), latency=False, ios_reboot_s=0.3) as server:
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", server.usbmux_address)
        yield server, folder
