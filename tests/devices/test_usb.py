"""USB discovery on a PC without phones: it runs for real and says what it needs."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import usb1

from station.core.errors import UsbUnavailable
from station.devices.adb_key import load_or_create_signer
from station.devices.usb import adb_server_running, find_usb_targets, usb_notice


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_running_adb_server_is_detected_and_named(listening_port: int, tmp_path: Path) -> None:
    assert adb_server_running(listening_port)
    with pytest.raises(UsbUnavailable, match=r"adb kill-server"):
        find_usb_targets(load_or_create_signer(tmp_path), adb_server_port=listening_port)


def test_no_adb_server_means_discovery_runs_and_finds_no_phone_here(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    assert not adb_server_running(free)
    # This machine has libusb but no phone: discovery must run through libusb and find nothing.
    assert find_usb_targets(load_or_create_signer(tmp_path), adb_server_port=free) == []


@pytest.mark.parametrize(
    ("error", "advice"),
    [
        (usb1.USBErrorAccess(), "udev rules"),
        (usb1.USBErrorBusy(), "adb kill-server"),
        (usb1.USBErrorNoDevice(), "unplugged"),
    ],
)
def test_libusb_failures_become_operator_advice(error: Exception, advice: str) -> None:
    assert advice in str(usb_notice(error))
