"""Finding Android phones on USB, and saying plainly what stops it when it cannot work.

USB discovery needs three things no Python package can provide: the libusb-1.0 library, permission to
open the phones' USB devices (udev rules on Linux), and no adb server holding the phones' interfaces.
Each failure becomes a UsbUnavailable whose message says which one and how to fix it.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

from station.core.errors import (
    AuthorizationPending,
    DeviceDisconnected,
    DeviceTimeout,
    UsbUnavailable,
)
from station.core.models import Platform
from station.core.notices import Notice, NoticeKind
from station.core.phone import Phone, PhoneTarget, Timeouts
from station.devices.android import ALLOW_PROMPT, AndroidPhone, _guarded, _UsbLink

ADB_SERVER_PORT = 5037

def adb_server_running(port: int = ADB_SERVER_PORT, timeout: float = 0.3) -> bool:
    """True when something listens on the adb server's port on this PC."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def usb_notice(exc: BaseException) -> Notice:
    """What an operator should do about a libusb failure (by its libusb error name)."""
    name = type(exc).__name__
    cause = getattr(exc, "usb_error", None) or exc.__cause__
    names = {name, type(cause).__name__ if cause else ""}
    if names & {"USBErrorAccess"}:
        return Notice(NoticeKind.USB_PERMISSION)
    if names & {"USBErrorBusy"}:
        return Notice(NoticeKind.USB_BUSY)
    if names & {"USBErrorNoDevice", "USBErrorNotFound"}:
        return Notice(NoticeKind.USB_UNPLUGGED)
    return Notice(NoticeKind.USB_FAILED, str(exc))


def _usb_transport_class(adb_server_port: int = ADB_SERVER_PORT) -> Any:
    """adb-shell's UsbTransport, or UsbUnavailable saying what is missing on this PC."""
    if adb_server_running(adb_server_port):
        raise UsbUnavailable(Notice(NoticeKind.ADB_SERVER, count=adb_server_port))
    try:
        from adb_shell.transport.usb_transport import UsbTransport
    except (ImportError, OSError) as exc:
        if "libusb" in str(exc) or isinstance(exc, OSError):
            raise UsbUnavailable(Notice(NoticeKind.NO_LIBUSB)) from None
        raise UsbUnavailable(Notice(NoticeKind.USB_NOT_INSTALLED, str(exc))) from None
    return UsbTransport


def find_usb_targets(signer: Any, timeouts: Timeouts = Timeouts(), adb_server_port: int = ADB_SERVER_PORT) -> list[AdbUsbTarget]:
    """Every Android phone with USB debugging on that is plugged into this PC."""
    transport_class = _usb_transport_class(adb_server_port)
    try:
        transports = list(transport_class.find_all_adb_devices(default_transport_timeout_s=timeouts.command))
    except OSError as exc:
        raise UsbUnavailable(Notice(NoticeKind.NO_LIBUSB, str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - libusb raises its own USBError family
        raise UsbUnavailable(usb_notice(exc)) from None
    return [AdbUsbTarget(transport, signer, timeouts) for transport in transports]


class AdbUsbTarget(PhoneTarget):
    platform = Platform.ANDROID

    def __init__(self, transport: Any, signer: Any, timeouts: Timeouts) -> None:
        self.transport = transport
        self.signer = signer
        self.timeouts = timeouts
        try:
            self.serial: str | None = transport.serial_number
        except Exception:  # noqa: BLE001 - reading the serial needs the device opened; permission may lack
            self.serial = None
        bus_path = "-".join(str(part) for part in transport.port_path)
        # The port path is in the address even when the serial is known: two phones with one serial
        # (twins) must never share an address, a tile or a history.
        self.address = f"usb:{bus_path}" + (f"/{self.serial}" if self.serial else "")

    async def connect(self, on_needs_approval: Callable[[str], None]) -> Phone:
        from adb_shell.adb_device import AdbDevice

        device = AdbDevice(self.transport, default_transport_timeout_s=self.timeouts.command)
        prompted = False

        def prompt(_device: Any) -> None:
            nonlocal prompted
            prompted = True
            on_needs_approval(ALLOW_PROMPT)

        call = asyncio.to_thread(
            device.connect,
            rsa_keys=[self.signer],
            transport_timeout_s=self.timeouts.connect,
            auth_timeout_s=self.timeouts.approval,
            auth_callback=prompt,
        )
        try:
            await _guarded(self.address, "connecting over USB", call, self.timeouts.connect + self.timeouts.approval + 1)
        except (DeviceTimeout, DeviceDisconnected) as exc:
            if prompted:
                raise AuthorizationPending(
                    self.address, f"the phone has not accepted this station yet: {ALLOW_PROMPT}, then try again"
                ) from None
            cause = exc.__context__
            raise UsbUnavailable(usb_notice(cause or exc), self.address) from None
        except Exception as exc:  # libusb's USBError family, known by name: usb1 is imported only through adb-shell
            if not type(exc).__name__.startswith("USBError"):
                raise
            raise UsbUnavailable(usb_notice(exc), self.address) from None
        return AndroidPhone(_UsbLink(device), self.address, self.timeouts, usb_serial=self.serial)
