"""A hub full of iPhones: usbmuxd is known to fail listing more than about 30 on some platforms
(pymobiledevice3 issue 1208 on Windows, tidevice issues 174 and 326 on macOS: the device list arrives
cut short, and a client that reads it in one recv misparses it). The station lists 32 and 64 simulated
iPhones completely, through pymobiledevice3 (ListDevices and Listen) and Debian's libimobiledevice, and
when usbmuxd breaks off its list it says so instead of emptying the wall silently."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from station.core.notices import Notice, NoticeKind
from station.devices.ios import IosWatcher, list_iphones
from station.sim.fleet import Fleet
from station.sim.ios.phone import parse_ios_device
from station.sim.server import FleetServer
from tests.devices.test_ios import FAST


def crowd(count: int) -> Fleet:
    return Fleet(ios=[parse_ios_device({"platform": "ios", "serial": f"00008110-{index:016X}"}, f"device[{index}]", "fleet.toml")
                      for index in range(count)])


@pytest.mark.parametrize("count", [32, 64])
def test_every_iphone_of_a_crowded_hub_is_listed(count: int, tmp_path: Path) -> None:
    with FleetServer(crowd(count), latency=False) as server:
        listed = asyncio.run(list_iphones(server.usbmux_address, tmp_path, FAST))
        assert len({target.address for target in listed}) == count
        # libusbmuxd's own reading of the same ListDevices reply (Debian's libimobiledevice-utils)
        assert shutil.which("idevice_id"), "apt-get install libimobiledevice-utils"
        result = subprocess.run(["idevice_id", "-l"], env={**os.environ, "HOME": str(tmp_path),
                                "USBMUXD_SOCKET_ADDRESS": server.usbmux_address},
                                capture_output=True, text=True, timeout=20, check=False, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.split()) == count


def test_the_watcher_sees_64_iphones_and_says_when_usbmuxd_breaks_off_its_list(tmp_path: Path) -> None:
    said: list[Notice] = []

    async def scenario(server: FleetServer) -> tuple[int, int]:
        arrived: set[str] = set()
        gone: list[str] = []
        watcher = IosWatcher(server.usbmux_address, tmp_path, said.append, FAST, retry_s=0.05)
        task = asyncio.create_task(watcher.watch(lambda t: arrived.add(t.address), gone.append))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if len(arrived) == 64:
                break
        seen = len(arrived)
        await asyncio.to_thread(server.drop_usbmux_clients)
        await asyncio.sleep(0.5)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return seen, len(gone)

    with FleetServer(crowd(64), latency=False) as server:
        seen, gone = asyncio.run(scenario(server))
    assert seen == 64
    assert gone == 64  # not left on the wall as if still there
    ended = [notice for notice in said if notice.kind is NoticeKind.USBMUXD_ENDED]
    assert ended and ended[0].count == 64 and "with 64 iPhone(s) listed" in str(ended[0]), said
