"""The simulated usbmuxd and lockdownd at the byte level: garbage ends one connection only, and the
TLS-then-plaintext dance libimobiledevice does after StopSession."""

from __future__ import annotations

import contextlib
import logging
import plistlib
import socket
import ssl
import struct
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, TypeVar

import pytest

from station.sim.fleet import Fleet
from station.sim.ios.phone import parse_ios_device
from station.sim.ios.plist_wire import encode_frame, encode_usbmux
from station.sim.ios.usbmuxd import STATION_HOST_ID
from station.sim.server import FleetServer

UDID = "00008110-001A2B3C4D5E801E"
TIMEOUT_S = 5.0


@pytest.fixture
def server() -> Iterator[FleetServer]:
    phone = parse_ios_device({"platform": "ios", "serial": UDID}, "device[1]", "fleet.toml")
    with FleetServer(Fleet(ios=[phone]), latency=False) as served:
        yield served


def connect(server: FleetServer) -> socket.socket:
    host, port = server.usbmux_address.rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=TIMEOUT_S)


def recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def usbmux_request(sock: socket.socket, message: dict[str, Any], tag: int = 1) -> dict[str, Any]:
    sock.sendall(encode_usbmux(message, tag))
    length, version, kind, reply_tag = struct.unpack("<4I", recv_exactly(sock, 16))
    assert (version, kind, reply_tag) == (1, 8, tag)
    reply: dict[str, Any] = plistlib.loads(recv_exactly(sock, length - 16))
    return reply


def lockdown_socket(server: FleetServer) -> socket.socket:
    sock = connect(server)
    assert usbmux_request(sock, {"MessageType": "Connect", "DeviceID": 1, "PortNumber": socket.htons(62078)}) == {
        "MessageType": "Result", "Number": 0}
    return sock


def closed_by_peer(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def test_garbled_usbmuxd_packet_drops_only_that_client(server: FleetServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="station.sim.ios.usbmuxd")
    with connect(server) as bad, connect(server) as good:
        bad.sendall(struct.pack("<4I", 16 + 5, 0, 3, 1) + b"hello")
        assert closed_by_peer(bad)
        devices = usbmux_request(good, {"MessageType": "ListDevices"})["DeviceList"]
        assert [device["Properties"]["SerialNumber"] for device in devices] == [UDID]
    assert "dropping a client" in caplog.text


def test_garbled_lockdown_frame_drops_the_connection(server: FleetServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="station.sim.ios.usbmuxd")
    with lockdown_socket(server) as sock:
        sock.sendall(struct.pack(">I", 9) + b"not plist")
        assert closed_by_peer(sock)
    assert "not a plist" in caplog.text


Result = TypeVar("Result")


class TlsClient:
    """TLS over a blocking socket through memory BIOs, so it can stop TLS without closing the socket."""

    def __init__(self, sock: socket.socket) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.sock = sock
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing)
        self._retry(self.tls.do_handshake)

    def _retry(self, operation: Callable[[], Result]) -> Result:
        while True:
            try:
                result = operation()
            except ssl.SSLWantReadError:
                self._flush()
                self.incoming.write(self.sock.recv(65536))
                continue
            self._flush()
            return result

    def _flush(self) -> None:
        pending = self.outgoing.read()
        if pending:
            self.sock.sendall(pending)

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        self.tls.write(encode_frame(message))
        self._flush()
        header = b""
        while len(header) < 4:
            header += self._retry(partial(self.tls.read, 4 - len(header)))
        (length,) = struct.unpack(">I", header)
        body = b""
        while len(body) < length:
            body += self._retry(partial(self.tls.read, length - len(body)))
        reply: dict[str, Any] = plistlib.loads(body)
        return reply

    def send_close_notify(self) -> None:
        """What libimobiledevice does: send close_notify and do not wait for the answer."""
        with contextlib.suppress(ssl.SSLWantReadError):
            self.tls.unwrap()
        self._flush()


def plain_request(sock: socket.socket, message: dict[str, Any]) -> dict[str, Any]:
    sock.sendall(encode_frame(message))
    (length,) = struct.unpack(">I", recv_exactly(sock, 4))
    reply: dict[str, Any] = plistlib.loads(recv_exactly(sock, length))
    return reply


def test_plaintext_after_stop_session(server: FleetServer) -> None:
    with lockdown_socket(server) as sock:
        assert plain_request(sock, {"Request": "StartSession", "HostID": "UNKNOWN", "SystemBUID": "X"})["Error"] == "InvalidHostID"
        started = plain_request(sock, {"Request": "StartSession", "HostID": STATION_HOST_ID, "SystemBUID": "X"})
        assert started["EnableSessionSSL"] is True
        tls = TlsClient(sock)
        assert tls.request({"Request": "GetValue", "Key": "SerialNumber"})["Value"]
        stopped = tls.request({"Request": "StopSession", "SessionID": started["SessionID"]})
        assert stopped == {"Request": "StopSession", "Result": "Success"}
        tls.send_close_notify()
        assert plain_request(sock, {"Request": "QueryType"}) == {"Request": "QueryType", "Type": "com.apple.mobile.lockdown"}
        assert plain_request(sock, {"Request": "GetValue", "Key": "SerialNumber"})["Error"] == "GetProhibited"
        assert plain_request(sock, {"Request": "StartService", "Service": "com.apple.afc"})["Error"] == "SessionInactive"


def test_unknown_service_is_refused(server: FleetServer) -> None:
    with lockdown_socket(server) as sock:
        started = plain_request(sock, {"Request": "StartSession", "HostID": STATION_HOST_ID, "SystemBUID": "X"})
        assert started["EnableSessionSSL"]
        tls = TlsClient(sock)
        assert tls.request({"Request": "StartService", "Service": "com.apple.nope"})["Error"] == "InvalidService"
