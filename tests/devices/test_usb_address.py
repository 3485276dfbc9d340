"""A USB phone's address names its port, so two phones reporting one serial never share one."""

from __future__ import annotations

from dataclasses import dataclass

from station.devices.usb import AdbUsbTarget


@dataclass
class _Transport:
    """What AdbUsbTarget reads of adb-shell's UsbTransport: the serial and the bus port path."""

    serial_number: str
    port_path: tuple[int, ...]


def test_twins_on_two_ports_have_two_addresses() -> None:
    one = AdbUsbTarget(_Transport("0123456789ABCDEF", (1, 2)), signer=None, timeouts=None)  # type: ignore[arg-type]  # not connected in this test
    two = AdbUsbTarget(_Transport("0123456789ABCDEF", (1, 3)), signer=None, timeouts=None)  # type: ignore[arg-type]  # not connected in this test
    assert (one.address, two.address) == ("usb:1-2/0123456789ABCDEF", "usb:1-3/0123456789ABCDEF")
