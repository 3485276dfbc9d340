"""Fuzzing the simulated iPhone's wire: usbmuxd packets, lockdown frames and the requests inside them.

Whatever arrives, a decoder raises only its own errors (WireError for bytes that are not the protocol,
ConnectionEnded for a peer that stopped half-way), never hangs on a finished stream, and a request of the
wrong shape gets an error reply rather than an exception that drops the connection."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import plistlib
import random
import socket
import struct
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.sim.fleet import Fleet
from station.sim.ios.installation_proxy import InstallationProxy
from station.sim.ios.lockdownd import Lockdownd, _LockdownSession
from station.sim.ios.mcinstall import RESTRICTIONS_PAYLOAD, MobileConfig, ProfileFormatError, parse_profile
from station.sim.ios.notification_proxy import NotificationProxy
from station.sim.ios.phone import SimIPhone, parse_ios_device
from station.sim.ios.plist_wire import (
    MAX_USBMUX_PACKET,
    ConnectionEnded,
    DeviceStream,
    UsbmuxPacket,
    WireError,
    decode_plist_dict,
    encode_frame,
    encode_usbmux,
)
from station.sim.server import FleetServer
from tests.sim.ios.test_wire import closed_by_peer, connect, usbmux_request

pytestmark = pytest.mark.slow  # the long fuzz: hundreds of hypothesis examples per test, ~25 s in all
UDID = "00008110-001A2B3C4D5E801E"
LIVE_ROUNDS = 150
GUARD_S = 5.0  # a decoder still waiting after this long on a finished stream is hanging

# Values a plist can carry (what a client can put in a request), nested a little.
plist_values = st.recursive(
    st.none().map(lambda _: "") | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.binary(max_size=20) | st.sampled_from(["Any", "User", "System", "Browse", "Lookup", "Uninstall"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
KEYS = ["Request", "Key", "Domain", "Value", "PairRecord", "HostID", "SessionID", "Service", "Command", "ClientOptions",
        "ApplicationIdentifier", "RequestType", "Payload", "ProfileIdentifier", "CloudConfiguration",
        "SupervisorCertificate", "SignedRequest"]
requests = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), plist_values, max_size=6)


class _NullWriter:
    """A StreamWriter stand-in that takes whatever the stream writes."""

    def write(self, data: bytes) -> None:
        pass

    async def drain(self) -> None:
        pass


def stream_of(data: bytes) -> DeviceStream:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return DeviceStream(reader, _NullWriter())  # type: ignore[arg-type]  # a stand-in StreamWriter: the decoders under test only read


def read(data: bytes, usbmux: bool) -> object:
    async def go() -> object:
        stream = stream_of(data)
        return await asyncio.wait_for(stream.read_usbmux() if usbmux else stream.read_frame(), GUARD_S)

    return asyncio.run(go())


def mutations(valid: bytes) -> st.SearchStrategy[bytes]:
    """A valid message truncated, with bytes flipped, with its length prefix replaced, or with junk after it."""
    size = len(valid)
    return st.one_of(
        st.integers(0, size - 1).map(lambda cut: valid[:cut]),
        st.lists(st.tuples(st.integers(0, size - 1), st.integers(1, 255)), min_size=1, max_size=8).map(
            lambda flips: bytes(b ^ next((x for i, x in flips if i == n), 0) for n, b in enumerate(valid))),
        st.integers(0, 2**32 - 1).map(lambda n: struct.pack("<I", n) + valid[4:]),
        st.integers(0, 2**32 - 1).map(lambda n: struct.pack(">I", n) + valid[4:]),
        st.binary(min_size=1, max_size=64).map(lambda junk: valid + junk),
    )


VALID_USBMUX = encode_usbmux({"MessageType": "ListDevices", "ClientVersionString": "fuzz"}, 7)
VALID_FRAME = encode_frame({"Request": "GetValue", "Key": "ProductType", "Label": "fuzz"})


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=512))
def test_decode_plist_dict_raises_only_wire_error(data: bytes) -> None:
    with contextlib.suppress(WireError):
        assert isinstance(decode_plist_dict(data), dict)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=256), mutations(VALID_USBMUX)))
def test_usbmux_packets_decode_or_raise_only_wire_errors(data: bytes) -> None:
    try:
        packet = read(data, usbmux=True)
    except (WireError, ConnectionEnded):
        return
    assert isinstance(packet, UsbmuxPacket) and isinstance(packet.payload, dict)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=256), mutations(VALID_FRAME)))
def test_lockdown_frames_decode_or_raise_only_wire_errors(data: bytes) -> None:
    with contextlib.suppress(WireError, ConnectionEnded):
        assert isinstance(read(data, usbmux=False), dict)


@pytest.mark.parametrize("usbmux", [True, False])
def test_an_oversized_length_is_refused_before_anything_is_read(usbmux: bool) -> None:
    header = struct.pack("<4I", MAX_USBMUX_PACKET + 1, 1, 8, 1) if usbmux else struct.pack(">I", 2**32 - 1)
    with pytest.raises(WireError, match="out of range"):
        read(header, usbmux)


def phone() -> SimIPhone:
    return parse_ios_device({"platform": "ios", "serial": UDID, "apps": ["com.tencent.xin"], "system_apps": ["com.apple.mobilesafari"]},
                            "device[1]", "fleet.toml")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["QueryType", "GetValue", "SetValue", "Pair", "ValidatePair", "Unpair", "StartSession",
                        "StopSession", "StartService", "Goodbye"]) | plist_values, requests, st.booleans())
def test_lockdownd_answers_any_request_shape_with_a_reply(verb: object, request: dict[str, Any], in_session: bool) -> None:
    daemon = Lockdownd(phone(), {})
    # reply_to touches its stream only to set plaintext_after_close_notify (on StopSession): no connection is needed.
    stand_in = SimpleNamespace(plaintext_after_close_notify=False)
    session = _LockdownSession(daemon, stand_in)  # type: ignore[arg-type]  # a stand-in stream, as said above
    if in_session:
        session.session_id = "S"
    reply = session.reply_to({**request, "Request": verb})
    assert reply["Request"] == verb if isinstance(verb, str) and verb in session._handlers else "Error" in reply
    plistlib.dumps(reply)  # what goes back on the wire can be encoded


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["installation_proxy", "MCInstall", "notification_proxy"]), requests,
       st.sampled_from(["Browse", "Lookup", "Uninstall", "GetProfileList", "InstallProfile", "RemoveProfile",
                        "GetCloudConfiguration", "SetCloudConfiguration", "Escalate", "EscalateResponse", "Shutdown"]))
def test_services_answer_any_request_shape_with_replies(service: str, request: dict[str, Any], verb: str) -> None:
    sim = phone()
    def unused() -> None:
        """Neither the cable nor an erase is involved here."""
    handler = {"installation_proxy": lambda: InstallationProxy(sim, 0.0, unused),
               "MCInstall": lambda: MobileConfig(sim, 0.0, unused, unused),
               "notification_proxy": lambda: NotificationProxy(sim, 0.0, unused)}[service]()
    replies, _done = handler.handle({**request, "Command": verb, "RequestType": verb})
    for reply in replies:
        assert isinstance(reply, dict)
        plistlib.dumps(reply)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["PayloadType", "blockedAppBundleIDs", "blacklistedAppBundleIDs", "PayloadIdentifier"]),
                       plist_values, max_size=4), plist_values, plist_values)
def test_a_profile_of_any_shape_installs_or_is_refused_as_malformed(payload: dict[str, Any], version: object, name: object) -> None:
    document = {"PayloadType": "Configuration", "PayloadIdentifier": "org.fuzz", "PayloadUUID": "U",
                "PayloadVersion": version, "PayloadDisplayName": name, "PayloadContent": [{"PayloadType": RESTRICTIONS_PAYLOAD, **payload}]}
    try:
        profile = parse_profile(plistlib.dumps(document, fmt=plistlib.FMT_BINARY))
    except ProfileFormatError:
        return
    assert all(isinstance(bundle_id, str) for bundle_id in profile.blocked_app_ids)


@pytest.fixture
def server() -> Iterator[FleetServer]:
    with FleetServer(Fleet(ios=[phone()]), latency=False) as served:
        yield served


def test_mutated_traffic_against_a_live_simulator_never_breaks_it(server: FleetServer, caplog: pytest.LogCaptureFixture) -> None:
    """Seeded byte mutations of real requests, each on its own connection: each gets an answer or a closed
    connection (never silence), nothing is an internal error, and a good client is served afterwards."""
    caplog.set_level(logging.WARNING)
    rng = random.Random(8)
    lockdown = encode_frame({"Request": "QueryType", "Label": "fuzz"})
    for round_ in range(LIVE_ROUNDS):
        to_lockdown = round_ % 2 == 1
        data = bytearray(lockdown if to_lockdown else VALID_USBMUX)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        cut = rng.choice([len(data), rng.randrange(len(data))])
        with connect(server) as sock:
            if to_lockdown:
                assert usbmux_request(sock, {"MessageType": "Connect", "DeviceID": 1, "PortNumber": socket.htons(62078)}, 2)["Number"] == 0
            sock.sendall(bytes(data[:cut]))
            sock.shutdown(socket.SHUT_WR)
            closed_by_peer(sock)  # an answer or the connection closed; silence raises socket.timeout
    with connect(server) as good:
        assert [d["Properties"]["SerialNumber"] for d in usbmux_request(good, {"MessageType": "ListDevices"})["DeviceList"]] == [UDID]
    assert "internal error" not in caplog.text, caplog.text
