"""Turning the operator's device selectors (--sim, --adb, --usb) into phones to reach."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from station.core.errors import StationError
from station.core.phone import PhoneTarget
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget, AdbTimeouts


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` as given to --adb; a clear error for anything else."""
    host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise StationError(f"--adb {text!r}: expected HOST:PORT, e.g. 127.0.0.1:40123")
    return host.strip("[]"), int(port_text)


@contextlib.contextmanager
def open_targets(
    data_dir: Path,
    *,
    sim: Path | None = None,
    adb: list[str] | None = None,
    usb: bool = False,
    timeouts: AdbTimeouts = AdbTimeouts(),
) -> Iterator[list[PhoneTarget]]:
    """The phones selected, for the duration of the block (a --sim fleet is served until it ends)."""
    signer = load_or_create_signer(data_dir)
    addresses = [parse_address(text) for text in adb or []]
    targets: list[PhoneTarget] = [AdbTcpTarget(host, port, signer, timeouts) for host, port in addresses]
    with contextlib.ExitStack() as stack:
        if sim is not None:
            from station.sim.fleet import load_fleet
            from station.sim.server import FleetServer

            served = stack.enter_context(FleetServer(load_fleet(sim), latency=True))
            for endpoint in served.endpoints:
                host, port = parse_address(endpoint.address)
                targets.append(AdbTcpTarget(host, port, signer, timeouts))
        if usb:
            from station.devices.usb import find_usb_targets

            targets.extend(find_usb_targets(signer, timeouts))
        yield targets
