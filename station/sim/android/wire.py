"""The ADB wire format, encode and decode only: no sockets, no state beyond a byte buffer.

Everything a peer sends is untrusted; decoders raise AdbWireError on short or garbled input.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey, RSAPublicNumbers
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.hashes import SHA1

CNXN = b"CNXN"
AUTH = b"AUTH"
OPEN = b"OPEN"
OKAY = b"OKAY"
WRTE = b"WRTE"
CLSE = b"CLSE"
COMMANDS = frozenset({CNXN, AUTH, OPEN, OKAY, WRTE, CLSE, b"SYNC", b"STLS"})

VERSION = 0x01000000
VERSION_SKIP_CHECKSUM = 0x01000001
MAX_PAYLOAD = 1024 * 1024
AUTH_TOKEN = 1
AUTH_SIGNATURE = 2
AUTH_RSAPUBLICKEY = 3
TOKEN_SIZE = 20

HEADER = struct.Struct("<6I")
HEADER_SIZE = HEADER.size

_RSA_KEY = struct.Struct("<II256s256sI")
_RSA_KEY_WORDS = 64

SHELL_STDIN = 0
SHELL_STDOUT = 1
SHELL_STDERR = 2
SHELL_EXIT = 3
SHELL_CLOSE_STDIN = 4
SHELL_WINDOW_SIZE = 5
_SHELL_HEADER = struct.Struct("<BI")

SYNC_DATA_MAX = 64 * 1024
SYNC_PATH_MAX = 1024
_SYNC_HEADER = struct.Struct("<4sI")
# Requests a host sends, and whether a payload of `arg` bytes follows the header.
_SYNC_REQUESTS = {b"STAT": True, b"LIST": True, b"RECV": True, b"SEND": True, b"DATA": True, b"DONE": False, b"QUIT": False}


class AdbWireError(Exception):
    """Bytes that are not a valid ADB message, key or packet."""


@dataclass(frozen=True)
class AdbMessage:
    command: bytes
    arg0: int
    arg1: int
    data: bytes = b""


@dataclass(frozen=True)
class AdbHeader:
    command: bytes
    arg0: int
    arg1: int
    data_length: int
    data_check: int


def checksum(data: bytes) -> int:
    """ADB's "checksum": the unsigned sum of the payload bytes."""
    return sum(data) & 0xFFFFFFFF


def encode_message(message: AdbMessage) -> bytes:
    """Header plus payload, always with the checksum (adb-shell verifies it on every message)."""
    command = int.from_bytes(message.command, "little")
    header = HEADER.pack(
        command, message.arg0, message.arg1, len(message.data), checksum(message.data), command ^ 0xFFFFFFFF
    )
    return header + message.data


def decode_header(raw: bytes) -> AdbHeader:
    if len(raw) != HEADER_SIZE:
        raise AdbWireError(f"an ADB header is {HEADER_SIZE} bytes, got {len(raw)}")
    command, arg0, arg1, length, check, magic = HEADER.unpack(raw)
    name = command.to_bytes(4, "little")
    if name not in COMMANDS:
        raise AdbWireError(f"unknown ADB command {name!r}")
    if magic != command ^ 0xFFFFFFFF:
        raise AdbWireError(f"bad magic {magic:#010x} for {name!r}")
    if length > MAX_PAYLOAD:
        raise AdbWireError(f"payload of {length} bytes exceeds {MAX_PAYLOAD}")
    return AdbHeader(name, arg0, arg1, length, check)


def decode_payload(header: AdbHeader, data: bytes, *, verify_checksum: bool = True) -> AdbMessage:
    if len(data) != header.data_length:
        raise AdbWireError(f"{header.command!r} announced {header.data_length} payload bytes, got {len(data)}")
    if verify_checksum and checksum(data) != header.data_check:
        raise AdbWireError(f"bad checksum on {header.command!r}: {header.data_check:#x} != {checksum(data):#x}")
    return AdbMessage(header.command, header.arg0, header.arg1, data)


def decode_message(raw: bytes, *, verify_checksum: bool = True) -> AdbMessage:
    """One whole message (header and payload, nothing more)."""
    header = decode_header(raw[:HEADER_SIZE])
    return decode_payload(header, raw[HEADER_SIZE:], verify_checksum=verify_checksum)


def decode_public_key(payload: bytes) -> RSAPublicKey:
    """An AUTH(RSAPUBLICKEY) payload: base64 of the key struct, then " user@host" and a NUL."""
    encoded = payload.rstrip(b"\0").split(b" ", 1)[0]
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AdbWireError(f"public key is not base64: {exc}") from None
    if len(raw) != _RSA_KEY.size:
        raise AdbWireError(f"public key struct is {len(raw)} bytes, expected {_RSA_KEY.size}")
    words, _n0inv, modulus, _rr, exponent = _RSA_KEY.unpack(raw)
    if words != _RSA_KEY_WORDS:
        raise AdbWireError(f"public key has {words} words, expected {_RSA_KEY_WORDS}")
    try:
        return RSAPublicNumbers(exponent, int.from_bytes(modulus, "little")).public_key()
    except ValueError as exc:
        raise AdbWireError(f"public key is not a valid RSA key: {exc}") from None


def signature_matches(key: RSAPublicKey, token: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is the host's signature of ``token`` (ADB signs the token as a SHA-1 digest)."""
    try:
        key.verify(signature, token, PKCS1v15(), Prehashed(SHA1()))
    except (InvalidSignature, ValueError):
        return False
    return True


def encode_shell_packet(kind: int, data: bytes) -> bytes:
    return _SHELL_HEADER.pack(kind, len(data)) + data


class ShellPacketReader:
    """Reassembles shell-v2 packets from WRTE payloads, which may split or join them anywhere."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        self._buffer += data
        packets: list[tuple[int, bytes]] = []
        while len(self._buffer) >= _SHELL_HEADER.size:
            kind, length = _SHELL_HEADER.unpack_from(self._buffer)
            if kind > SHELL_WINDOW_SIZE:
                raise AdbWireError(f"unknown shell-v2 packet id {kind}")
            if length > MAX_PAYLOAD:
                raise AdbWireError(f"shell-v2 packet of {length} bytes exceeds {MAX_PAYLOAD}")
            end = _SHELL_HEADER.size + length
            if len(self._buffer) < end:
                break
            packets.append((kind, self._buffer[_SHELL_HEADER.size:end]))
            self._buffer = self._buffer[end:]
        return packets


@dataclass(frozen=True)
class SyncRequest:
    """One sync request. ``arg`` is the payload length, or the mtime for DONE."""

    id: bytes
    arg: int
    data: bytes = b""


class SyncRequestReader:
    """Reassembles sync requests (`<4sI` + payload) from WRTE payloads."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[SyncRequest]:
        self._buffer += data
        requests: list[SyncRequest] = []
        while len(self._buffer) >= _SYNC_HEADER.size:
            request_id, arg = _SYNC_HEADER.unpack_from(self._buffer)
            if request_id not in _SYNC_REQUESTS:
                raise AdbWireError(f"unknown sync request {request_id!r}")
            length = arg if _SYNC_REQUESTS[request_id] else 0
            limit = SYNC_DATA_MAX if request_id == b"DATA" else SYNC_PATH_MAX
            if length > limit:
                raise AdbWireError(f"sync {request_id!r} of {length} bytes exceeds {limit}")
            end = _SYNC_HEADER.size + length
            if len(self._buffer) < end:
                break
            requests.append(SyncRequest(request_id, arg, self._buffer[_SYNC_HEADER.size:end]))
            self._buffer = self._buffer[end:]
        return requests


def encode_sync(request_id: bytes, arg: int, data: bytes = b"") -> bytes:
    """A sync request or a DATA/DONE/OKAY/FAIL reply: id, a u32, then ``data``."""
    return _SYNC_HEADER.pack(request_id, arg) + data


def encode_sync_stat(mode: int, size: int, mtime: int) -> bytes:
    return b"STAT" + struct.pack("<3I", mode, size, mtime)


def encode_sync_dent(mode: int, size: int, mtime: int, name: bytes) -> bytes:
    return b"DENT" + struct.pack("<4I", mode, size, mtime, len(name)) + name


def encode_sync_list_done() -> bytes:
    """LIST ends with a DONE shaped like an empty DENT."""
    return b"DONE" + struct.pack("<4I", 0, 0, 0, 0)
