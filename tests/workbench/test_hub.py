"""What the window watches for phones: the plans handed to its device process."""

from __future__ import annotations

import contextlib
import pickle
from functools import partial
from pathlib import Path

from station.core.phone import Timeouts
from station.devices.ios import IosWatcher
from station.devices.watch import AddressWatcher, UsbWatcher
from station.workbench.hub import Watched, WatchKind, watch_addresses, watch_demo, watch_usb


def test_the_demo_bench_serves_its_fleet_while_watched(tmp_path: Path) -> None:
    with contextlib.ExitStack() as stack:
        watchers, line = watch_demo(tmp_path, lambda _m: None, stack)
        assert [type(w) for w in watchers] == [AddressWatcher, IosWatcher]
        assert (line.kind, line.phones, line.fleet) == (WatchKind.DEMO, 9, "demo-fleet.toml") and line.usbmux
    assert (tmp_path / "pair-records").stat().st_mode & 0o777 == 0o700


def test_usb_and_address_plans_name_what_they_watch(tmp_path: Path) -> None:
    with contextlib.ExitStack() as stack:
        usb, line = watch_usb(tmp_path, lambda _m: None, stack)
        assert [type(w) for w in usb] == [UsbWatcher, IosWatcher] and line == Watched(WatchKind.USB)
        plan = partial(watch_addresses, ["127.0.0.1:40123"], None, Timeouts(), 0.1)
        found, line = pickle.loads(pickle.dumps(plan))(tmp_path, lambda _m: None, stack)  # it crosses to the device process
        assert [type(w) for w in found] == [AddressWatcher] and line == Watched(WatchKind.ADDRESSES, android=1)
