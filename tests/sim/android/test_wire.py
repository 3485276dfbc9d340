from __future__ import annotations

import base64
import contextlib
import os
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from adb_shell.adb_message import AdbMessage as ClientMessage
from adb_shell.auth.sign_cryptography import CryptographySigner
from hypothesis import given
from hypothesis import strategies as st

from station.sim.android import wire
from station.sim.android.wire import AdbMessage, AdbWireError


def test_round_trip() -> None:
    message = AdbMessage(wire.WRTE, 7, 9, b"hello")
    raw = wire.encode_message(message)
    assert len(raw) == wire.HEADER_SIZE + 5
    assert wire.decode_message(raw) == message


def test_encoding_matches_adb_shell() -> None:
    client = ClientMessage(b"CNXN", 0x01000000, 1048576, b"host::box\0")
    ours = wire.encode_message(AdbMessage(wire.CNXN, 0x01000000, 1048576, b"host::box\0"))
    assert ours == client.pack() + client.data


def test_checksum_is_byte_sum() -> None:
    assert wire.checksum(b"\x01\x02\xff") == 258


@pytest.mark.parametrize("mangle", [
    lambda raw: raw[:10],                                           # short header
    lambda raw: raw[:20] + b"\0\0\0\0" + raw[24:],                   # bad magic
    lambda raw: b"XXXX" + raw[4:],                                  # unknown command
    lambda raw: raw[:16] + struct.pack("<I", 1) + raw[20:],          # bad checksum
    lambda raw: raw[:-1],                                           # short payload
    lambda raw: raw[:12] + struct.pack("<I", wire.MAX_PAYLOAD + 1) + raw[16:],  # oversized
])
def test_garbled_messages_raise_wire_error(mangle: Callable[[bytes], bytes]) -> None:
    raw = wire.encode_message(AdbMessage(wire.OPEN, 1, 0, b"shell:id\0"))
    with pytest.raises(AdbWireError):
        wire.decode_message(mangle(raw))


def test_checksum_may_be_skipped() -> None:
    raw = bytearray(wire.encode_message(AdbMessage(wire.OKAY, 1, 2, b"x")))
    raw[16:20] = b"\0\0\0\0"
    assert wire.decode_message(bytes(raw), verify_checksum=False).data == b"x"


@given(st.binary(max_size=64))
def test_random_bytes_never_crash_decoder(raw: bytes) -> None:
    with contextlib.suppress(AdbWireError):
        wire.decode_message(raw)


def test_public_key_and_signature(adb_key_path: str, signer: CryptographySigner) -> None:
    payload = signer.GetPublicKey() + b"\0"
    key = wire.decode_public_key(payload)
    assert key.key_size == 2048
    public = Path(adb_key_path + ".pub").read_bytes()
    assert wire.decode_public_key(public).public_numbers() == key.public_numbers()
    token = os.urandom(wire.TOKEN_SIZE)
    assert wire.signature_matches(key, token, signer.Sign(token))
    assert not wire.signature_matches(key, os.urandom(wire.TOKEN_SIZE), signer.Sign(token))
    assert not wire.signature_matches(key, token, b"short")


@pytest.mark.parametrize("payload", [b"!!!not base64 user@host\0", b"QUJD user@host\0", b"", b"\0"])
def test_bad_public_key(payload: bytes) -> None:
    with pytest.raises(AdbWireError):
        wire.decode_public_key(payload)


def test_public_key_with_wrong_word_count(signer: CryptographySigner) -> None:
    raw = bytearray(base64.b64decode(signer.GetPublicKey().split(b" ")[0]))
    raw[0] = 32
    with pytest.raises(AdbWireError, match="words"):
        wire.decode_public_key(base64.b64encode(bytes(raw)) + b" x@y\0")


def test_shell_packets_reassembled_across_splits() -> None:
    stream = wire.encode_shell_packet(wire.SHELL_STDOUT, b"abc") + wire.encode_shell_packet(wire.SHELL_EXIT, b"\x01")
    reader = wire.ShellPacketReader()
    packets = [packet for byte in stream for packet in reader.feed(bytes([byte]))]
    assert packets == [(wire.SHELL_STDOUT, b"abc"), (wire.SHELL_EXIT, b"\x01")]
    with pytest.raises(AdbWireError):
        wire.ShellPacketReader().feed(b"\x09\0\0\0\0")


def test_sync_requests_reassembled() -> None:
    stream = (wire.encode_sync(b"SEND", 13, b"/x/y,33188")[:8] + b"/data/x,33188"
              + wire.encode_sync(b"DATA", 2, b"hi") + wire.encode_sync(b"DONE", 1234) + wire.encode_sync(b"QUIT", 0))
    reader = wire.SyncRequestReader()
    requests = reader.feed(stream[:5]) + reader.feed(stream[5:30]) + reader.feed(stream[30:])
    assert requests == [wire.SyncRequest(b"SEND", 13, b"/data/x,33188"), wire.SyncRequest(b"DATA", 2, b"hi"),
                        wire.SyncRequest(b"DONE", 1234), wire.SyncRequest(b"QUIT", 0)]


@pytest.mark.parametrize("raw", [b"NOPE\0\0\0\0", wire.encode_sync(b"DATA", wire.SYNC_DATA_MAX + 1),
                                 wire.encode_sync(b"STAT", wire.SYNC_PATH_MAX + 1)])
def test_bad_sync_requests(raw: bytes) -> None:
    with pytest.raises(AdbWireError):
        wire.SyncRequestReader().feed(raw)


def test_sync_replies() -> None:
    assert wire.encode_sync_stat(0o100644, 5, 7) == b"STAT" + struct.pack("<3I", 0o100644, 5, 7)
    assert wire.encode_sync_dent(1, 2, 3, b"ab") == b"DENT" + struct.pack("<4I", 1, 2, 3, 2) + b"ab"
    assert wire.encode_sync_list_done() == b"DONE" + bytes(16)
