"""pymobiledevice3's own command line, an independent client of the station's code, against the simulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from station.sim.fleet import Fleet
from station.sim.ios.phone import parse_ios_device
from station.sim.server import FleetServer

UDID = "00008110-001A2B3C4D5E801E"


def test_usbmux_list_and_apps_list(tmp_path: Path) -> None:
    phone = parse_ios_device(
        {"platform": "ios", "serial": UDID, "product_type": "iPhone15,2", "os_version": "17.5.1", "apps": ["com.tencent.xin"]},
        "device", "fleet.toml",
    )
    with FleetServer(Fleet(ios=[phone]), latency=False) as server:
        env = {**os.environ, "HOME": str(tmp_path), "USBMUXD_SOCKET_ADDRESS": server.usbmux_address}

        def tool(*args: str) -> object:
            done = subprocess.run([sys.executable, "-m", "pymobiledevice3", *args], env=env, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=60, check=False)
            assert done.returncode == 0, done.stderr
            return json.loads(done.stdout)

        devices = tool("usbmux", "list")
        assert isinstance(devices, list)
        assert [(d["UniqueDeviceID"], d["ProductType"], d["ProductVersion"]) for d in devices] == [(UDID, "iPhone15,2", "17.5.1")]
        apps = tool("apps", "list", "--udid", UDID)
        assert isinstance(apps, dict)  # keyed by bundle ID
        assert "com.tencent.xin" in apps
