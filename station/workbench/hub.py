"""What a station's window watches for phones: this PC's USB, the demo bench, or given addresses.

Each is a plan: a function called, in the process that does the device work, with the data folder, a
callback for notices (usbmuxd missing, USB busy) and an ExitStack that lives as long as the watching.
It returns the watchers and what they watch (``Watched``), which the window words on its
status bar. A plan is built with functools.partial from
plain values, so it can be handed to another process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from station.core.notices import Notice
from station.core.phone import PhoneWatcher, Timeouts
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.devices.ios import IosWatcher, use_usbmux_address
from station.devices.watch import POLL_S, AddressWatcher, UsbWatcher
from station.workbench.targets import PAIR_RECORDS, parse_address

DEMO_FLEET = Path(__file__).resolve().parents[2] / "assets" / "demo-fleet.toml"

Notify = Callable[[Notice], None]


class WatchKind(StrEnum):
    USB = "usb"  # this PC's USB: Android through libusb, iPhones through the system's usbmuxd
    DEMO = "demo"  # the simulated phones of the demo fleet
    ADDRESSES = "addresses"  # Android phones at given ADB addresses, iPhones of a given usbmuxd


@dataclass(frozen=True)
class Watched:
    """What a plan watches, for the status bar: the window words it in its own language."""

    kind: WatchKind
    android: int = 0  # addresses watched (demo and addresses)
    phones: int = 0  # simulated phones served (demo)
    fleet: str = ""  # the demo fleet's file name
    usbmux: str | None = None  # the usbmuxd the iPhones are seen through, when not the system's


Watching = tuple[list[PhoneWatcher], Watched]
Plan = Callable[[Path, Notify, contextlib.ExitStack], Watching]


def _pair_records(data_dir: Path) -> Path:
    folder = data_dir / PAIR_RECORDS
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def watch_usb(data_dir: Path, notice: Notify, _stack: contextlib.ExitStack) -> Watching:
    """This PC's USB: Android phones through libusb, iPhones through the system's usbmuxd."""
    from station.devices.usb import find_usb_targets

    signer = load_or_create_signer(data_dir)
    usb = UsbWatcher(lambda: list(find_usb_targets(signer)), notice)
    ios = IosWatcher(None, _pair_records(data_dir), notice)
    return [usb, ios], Watched(WatchKind.USB)


def watch_demo(data_dir: Path, notice: Notify, stack: contextlib.ExitStack) -> Watching:
    """The demo bench: the simulated phones of assets/demo-fleet.toml, served for as long as it is watched."""
    from station.sim.fleet import load_fleet
    from station.sim.server import FleetServer

    served = stack.enter_context(FleetServer(load_fleet(DEMO_FLEET), latency=True))
    android = [e.address for e in served.endpoints if e.platform == "android"]
    found, _ = watch_addresses(android, served.usbmux_address, Timeouts(), POLL_S, data_dir, notice, stack)
    return found, Watched(WatchKind.DEMO, len(android), len(served.endpoints), DEMO_FLEET.name, served.usbmux_address)


def watch_addresses(android: list[str], usbmux: str | None, timeouts: Timeouts, poll_s: float,
                    data_dir: Path, notice: Notify, _stack: contextlib.ExitStack) -> Watching:
    """Android phones at these ADB addresses, and the iPhones of the usbmuxd at ``usbmux``."""
    signer = load_or_create_signer(data_dir)
    found: list[PhoneWatcher] = [AddressWatcher([AdbTcpTarget(*parse_address(a), signer, timeouts) for a in android], poll_s)]
    if usbmux is not None:
        use_usbmux_address(usbmux)
        found.append(IosWatcher(usbmux, _pair_records(data_dir), notice, timeouts))
    return found, Watched(WatchKind.ADDRESSES, len(android), usbmux=usbmux)
