"""Turning the operator's device selectors (--sim, --adb, --usbmux, --usb) into phones to reach."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from station.core.errors import StationError, UsbUnavailable
from station.core.phone import PhoneTarget, Timeouts
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.devices.ios import list_iphones, use_usbmux_address

PAIR_RECORDS = "pair-records"


def parse_address(text: str, option: str = "--adb") -> tuple[str, int]:
    """``HOST:PORT`` as given to --adb or --usbmux; a clear error for anything else."""
    host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise StationError(f"{option} {text!r}: expected HOST:PORT, e.g. 127.0.0.1:40123")
    return host.strip("[]"), int(port_text)


@dataclass(frozen=True)
class Selection:
    """What the operator asked for. With nothing named, every phone on this PC's USB (Android and iPhone)."""

    sim: Path | None = None
    adb: tuple[str, ...] = ()
    usbmux: str | None = None
    usb: bool = False

    @property
    def local(self) -> bool:
        """Look on this PC's USB (adb over libusb, iPhones through the system usbmuxd)."""
        return self.usb or (self.sim is None and not self.adb and self.usbmux is None)


@contextlib.contextmanager
def open_targets(
    data_dir: Path,
    selection: Selection,
    *,
    timeouts: Timeouts = Timeouts(),
    warn: Callable[[str], None] = lambda _message: None,
) -> Iterator[list[PhoneTarget]]:
    """The phones selected, for the duration of the block (a --sim fleet is served until it ends).
    Local discovery that cannot work on this PC is reported through ``warn`` and skipped."""
    signer = load_or_create_signer(data_dir)
    pair_records = data_dir / PAIR_RECORDS
    pair_records.mkdir(mode=0o700, exist_ok=True)
    targets: list[PhoneTarget] = [AdbTcpTarget(*parse_address(text), signer, timeouts) for text in selection.adb]
    usbmux_addresses: list[str | None] = []
    if selection.usbmux is not None:
        parse_address(selection.usbmux, "--usbmux")
        usbmux_addresses.append(selection.usbmux)
    with contextlib.ExitStack() as stack:
        if selection.sim is not None:
            from station.sim.fleet import load_fleet
            from station.sim.server import FleetServer

            fleet = load_fleet(selection.sim)
            served = stack.enter_context(FleetServer(fleet, latency=True))
            targets.extend(AdbTcpTarget(*parse_address(endpoint.address), signer, timeouts)
                           for endpoint in served.endpoints if endpoint.platform == "android")
            if fleet.ios:
                usbmux_addresses.append(served.usbmux_address)
        if selection.local:
            from station.devices.usb import find_usb_targets

            try:
                targets.extend(find_usb_targets(signer, timeouts))
            except UsbUnavailable as exc:
                warn(f"Android phones on USB: {exc}")
            usbmux_addresses.append(None)
        for address in usbmux_addresses:
            use_usbmux_address(address)
            try:
                targets.extend(asyncio.run(list_iphones(address, pair_records, timeouts)))
            except StationError as exc:
                if address is not None:
                    raise
                warn(f"iPhones: {exc}")
        yield targets
