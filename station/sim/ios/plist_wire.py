"""The byte-level framing a simulated iPhone speaks: usbmuxd packets, lockdown frames, and the stream
both run over, which can switch to TLS and back in the middle of a connection.

usbmuxd packet: header ``<4I`` (length including the 16-byte header, version 1 = plist, message 8 =
plist, tag) + an XML plist. lockdownd and the services: a 4-byte big-endian length + a plist.
"""

from __future__ import annotations

import asyncio
import contextlib
import plistlib
import ssl
import struct
from dataclasses import dataclass
from typing import Any

USBMUX_HEADER = struct.Struct("<4I")
USBMUX_VERSION_PLIST = 1
USBMUX_MESSAGE_PLIST = 8
MAX_USBMUX_PACKET = 1 << 20
MAX_LOCKDOWN_FRAME = 32 << 20
_READ_CHUNK = 65536


class WireError(Exception):
    """The peer sent something that is not the protocol; the connection should be dropped."""


class ConnectionEnded(Exception):
    """The peer closed the connection (cleanly or not)."""


@dataclass(frozen=True)
class UsbmuxPacket:
    version: int
    message: int
    tag: int
    payload: dict[str, Any]


def encode_usbmux(payload: dict[str, Any], tag: int) -> bytes:
    body = plistlib.dumps(payload)
    return USBMUX_HEADER.pack(USBMUX_HEADER.size + len(body), USBMUX_VERSION_PLIST, USBMUX_MESSAGE_PLIST, tag) + body


def decode_plist_dict(data: bytes) -> dict[str, Any]:
    try:
        value = plistlib.loads(data)
    except Exception as exc:  # noqa: BLE001 - plistlib raises many unrelated types for bad input (InvalidFileException, ExpatError, ValueError...)
        raise WireError(f"not a plist: {exc}") from None
    if not isinstance(value, dict):
        raise WireError(f"plist is a {type(value).__name__}, not a dictionary")
    return value


def encode_frame(message: dict[str, Any]) -> bytes:
    return frame(plistlib.dumps(message))


def frame(body: bytes) -> bytes:
    """A lockdownd or service frame around a plist already serialised."""
    return struct.pack(">I", len(body)) + body


# Ways a faulty phone (fleet key reply_fault) mangles its replies, for testing the station's side.
REPLY_FAULTS = ("garbled", "truncated", "oversized", "not_a_dict", "bad_value")
_BAD_VALUE_PLIST = (b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>'
                    b"<key>Status</key><integer>Complete</integer></dict></plist>")


def faulty_body(message: dict[str, Any], fault: str) -> bytes:
    """The body of a reply as a faulty phone sends it (truncated and oversized mangle the framing instead)."""
    if fault == "garbled":
        return bytes(byte ^ 0x5A for byte in plistlib.dumps(message))
    if fault == "not_a_dict":
        return plistlib.dumps([message])
    if fault == "bad_value":
        return _BAD_VALUE_PLIST
    return plistlib.dumps(message)


def faulty_framing(header: bytes, body: bytes, fault: str, oversized_header: bytes) -> tuple[bytes, bool]:
    """What goes on the wire for a faulty reply, and whether the connection is then closed: a truncated
    reply stops half-way through its body, an oversized one announces far more than any limit."""
    if fault == "truncated":
        return header + body[: len(body) // 2], True
    if fault == "oversized":
        return oversized_header + body, True
    return header + body, False


def faulty_frame(message: dict[str, Any], fault: str) -> tuple[bytes, bool]:
    """A lockdownd or service reply (4-byte length + plist) mangled by ``fault``; see faulty_framing."""
    body = faulty_body(message, fault)
    return faulty_framing(struct.pack(">I", len(body)), body, fault, struct.pack(">I", 0xFFFFFFF0))


def faulty_usbmux(message: dict[str, Any], tag: int, fault: str) -> tuple[bytes, bool]:
    """A usbmuxd reply mangled by ``fault``; see faulty_framing."""
    body = faulty_body(message, fault)
    header = USBMUX_HEADER.pack(USBMUX_HEADER.size + len(body), USBMUX_VERSION_PLIST, USBMUX_MESSAGE_PLIST, tag)
    oversized = USBMUX_HEADER.pack(0xFFFFFFF0, USBMUX_VERSION_PLIST, USBMUX_MESSAGE_PLIST, tag)
    return faulty_framing(header, body, fault, oversized)


class DeviceStream:
    """One connection to the device, optionally wrapped in TLS (server side).

    TLS runs through memory BIOs rather than asyncio's own start_tls because lockdownd must survive
    what libimobiledevice does after StopSession: it sends a TLS close_notify and goes on in
    plaintext on the same socket. asyncio would close the connection at that point.

    ``plaintext_after_close_notify`` says which close_notify is which. Set (by lockdownd, after
    StopSession), the peer's close_notify gets no answer and plaintext follows. Unset, it is a
    client hanging up (pymobiledevice3 does so without StopSession): it is answered with ours, which
    the client waits for, and the stream ends.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self._tls: ssl.SSLObject | None = None
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._plain = bytearray()
        self.plaintext_after_close_notify = False

    @property
    def tls_active(self) -> bool:
        return self._tls is not None

    async def start_tls(self, context: ssl.SSLContext) -> None:
        """Run the server side of a TLS handshake; bytes already buffered belong to it."""
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        tls = context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        if self._plain:
            self._incoming.write(bytes(self._plain))
            self._plain.clear()
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                await self._flush_tls()
                await self._feed_raw()
            except ssl.SSLError as exc:
                raise WireError(f"TLS handshake failed: {exc.reason or exc}") from None
        self._tls = tls
        await self._flush_tls()

    async def read_exactly(self, size: int) -> bytes:
        while len(self._plain) < size:
            await self._fill()
        data = bytes(self._plain[:size])
        del self._plain[:size]
        return data

    async def write(self, data: bytes) -> None:
        if self._tls is None:
            self.writer.write(data)
            await self.writer.drain()
        else:
            self._tls.write(data)
            await self._flush_tls()

    async def read_usbmux(self) -> UsbmuxPacket:
        length, version, message, tag = USBMUX_HEADER.unpack(await self.read_exactly(USBMUX_HEADER.size))
        if not USBMUX_HEADER.size <= length <= MAX_USBMUX_PACKET:
            raise WireError(f"usbmuxd packet length {length} out of range")
        if version != USBMUX_VERSION_PLIST or message != USBMUX_MESSAGE_PLIST:
            raise WireError(f"only the plist protocol is served (got version {version}, message {message})")
        payload = decode_plist_dict(await self.read_exactly(length - USBMUX_HEADER.size))
        return UsbmuxPacket(version, message, tag, payload)

    async def read_frame(self) -> dict[str, Any]:
        (length,) = struct.unpack(">I", await self.read_exactly(4))
        if length > MAX_LOCKDOWN_FRAME:
            raise WireError(f"frame length {length} out of range")
        return decode_plist_dict(await self.read_exactly(length))

    async def write_frame(self, message: dict[str, Any], fault: str | None = None) -> None:
        """Send one reply; with ``fault`` (a REPLY_FAULTS name), mangled as a faulty phone would, ending
        the connection after a reply that cannot be followed (ConnectionEnded)."""
        if fault is None:
            await self.write(encode_frame(message))
            return
        data, close = faulty_frame(message, fault)
        await self.write(data)
        if close:
            raise ConnectionEnded

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()

    async def _feed_raw(self) -> None:
        chunk = await self.reader.read(_READ_CHUNK)
        if not chunk:
            raise ConnectionEnded
        self._incoming.write(chunk)

    async def _flush_tls(self) -> None:
        pending = self._outgoing.read()
        if pending:
            self.writer.write(pending)
            await self.writer.drain()

    async def _fill(self) -> None:
        if self._tls is None:
            chunk = await self.reader.read(_READ_CHUNK)
            if not chunk:
                raise ConnectionEnded
            self._plain += chunk
            return
        while True:
            try:
                data = self._tls.read(_READ_CHUNK)
            except ssl.SSLWantReadError:
                await self._flush_tls()
                await self._feed_raw()
                continue
            except ssl.SSLZeroReturnError:
                await self._close_notify_received()
                return
            except ssl.SSLError as exc:
                raise WireError(f"TLS error: {exc.reason or exc}") from None
            if not data:
                await self._close_notify_received()
                return
            await self._flush_tls()
            self._plain += data
            return

    async def _close_notify_received(self) -> None:
        assert self._tls is not None
        if self.plaintext_after_close_notify:
            # libimobiledevice reads no close_notify before its next plaintext frame: send none.
            self._tls = None
            self.plaintext_after_close_notify = False
            self._plain += self._incoming.read()
            return
        with contextlib.suppress(ssl.SSLError):
            self._tls.unwrap()
        await self._flush_tls()
        raise ConnectionEnded
