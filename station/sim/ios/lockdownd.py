"""A simulated iPhone's lockdownd: device values, pairing with its Trust dialog, TLS sessions, and
starting services on dynamic ports.

Certificates: every simulated phone shares one device key (RSA key generation is slow and the
clients never check it), and every host pair record the simulator makes itself shares one root and
one host key. Clients do not verify the device's certificate; the device does not verify the
host's either (real lockdownd does), so a forged pair record with a trusted HostID would pass.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import hashlib
import logging
import os
import plistlib
import ssl
import tempfile
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from station.sim.ios.phone import SimIPhone
from station.sim.ios.plist_wire import DeviceStream, frame

log = logging.getLogger(__name__)

LOCKDOWN_PORT = 62078
FIRST_SERVICE_PORT = 49152
LOCKDOWN_TYPE = "com.apple.mobile.lockdown"
# What an unpaired host may read, as on a real phone; everything else needs a session.
PUBLIC_VALUES = frozenset({
    "ActivationState", "BasebandVersion", "BluetoothAddress", "BuildVersion", "CPUArchitecture",
    "ChipID", "DeviceClass", "DeviceColor", "DeviceName", "DevicePublicKey", "HardwareModel",
    "HardwarePlatform", "ProductName", "ProductType", "ProductVersion", "ProtocolVersion",
    "TelephonyCapability", "UniqueChipID", "UniqueDeviceID", "WiFiAddress",
})
SETTABLE_VALUES = frozenset({"DeviceName"})
_HARDWARE_MODELS = {
    "iPhone10,3": ("D22AP", "t8015"), "iPhone11,8": ("N841AP", "t8020"), "iPhone12,1": ("N104AP", "t8030"),
    "iPhone13,2": ("D53gAP", "t8101"), "iPhone14,5": ("D17AP", "t8110"), "iPhone14,7": ("D27AP", "t8110"),
    "iPhone15,2": ("D73AP", "t8120"), "iPhone15,3": ("D74AP", "t8120"), "iPhone15,4": ("D37AP", "t8120"),
    "iPhone16,1": ("D83AP", "t8130"), "iPhone16,2": ("D84AP", "t8130"), "iPhone17,1": ("D93AP", "t8140"),
}


class DeviceService(Protocol):
    """One service behind a StartService port, talking to one client over TLS."""

    async def serve(self, stream: DeviceStream) -> None: ...


ServiceFactory = Callable[[], DeviceService]


# ---------------------------------------------------------------- certificates


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _certificate(subject_key: rsa.RSAPublicKey, issuer_key: rsa.RSAPrivateKey, *, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(x509.Name([]))
        .public_key(subject_key)
        .serial_number(1 if ca else x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


@functools.cache
def _key(role: str) -> rsa.RSAPrivateKey:
    """One 2048-bit key per role ("device", "root", "host") for the whole process."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache  # one key for the whole process, and every GetValue of the default domain carries it
def device_public_key_pem() -> bytes:
    """DevicePublicKey as a phone reports it: PKCS#1 "RSA PUBLIC KEY" PEM."""
    return _key("device").public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)


@functools.cache
def device_tls_context() -> ssl.SSLContext:
    """The server side of every lockdown session and service connection."""
    key = _key("device")
    cert = _certificate(key.public_key(), key, ca=False)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ALL:!aNULL:!eNULL:@SECLEVEL=0")
    context.verify_mode = ssl.CERT_NONE
    fd, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(cert.public_bytes(serialization.Encoding.PEM) + _pem_key(key))
        context.load_cert_chain(path)
    finally:
        Path(path).unlink()
    return context


def make_pair_record(phone: SimIPhone, host_id: str, system_buid: str) -> dict[str, Any]:
    """A complete host pair record for ``phone``, as pymobiledevice3 or libimobiledevice would save
    it after pairing: what a depot PC that already trusts the phone holds."""
    root, host = _key("root"), _key("host")
    device_public = serialization.load_pem_public_key(device_public_key_pem())
    assert isinstance(device_public, rsa.RSAPublicKey)
    pem = serialization.Encoding.PEM
    return {
        "DeviceCertificate": _certificate(device_public, root, ca=False).public_bytes(pem),
        "HostCertificate": _certificate(host.public_key(), root, ca=False).public_bytes(pem),
        "HostPrivateKey": _pem_key(host),
        "RootCertificate": _certificate(root.public_key(), root, ca=True).public_bytes(pem),
        "RootPrivateKey": _pem_key(root),
        "HostID": host_id,
        "SystemBUID": system_buid,
        "WiFiMACAddress": wifi_address(phone),
        "EscrowBag": escrow_bag(phone, host_id),
    }


def escrow_bag(phone: SimIPhone, host_id: str) -> bytes:
    return hashlib.sha256(f"escrow:{phone.udid}:{host_id}:{phone.erase_count}".encode()).digest() * 2


# ---------------------------------------------------------------- device values


def _mac(phone: SimIPhone, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{phone.udid}".encode()).digest()
    return ":".join(f"{byte:02x}" for byte in (bytes([digest[0] & 0xFC]) + digest[1:6]))


def wifi_address(phone: SimIPhone) -> str:
    return _mac(phone, "wifi")


def _chip_ids(udid: str) -> tuple[int, int]:
    """ChipID and UniqueChipID (ECID), encoded in a modern UDID; derived from a legacy one."""
    if "-" in udid:
        chip, ecid = udid.split("-")
        return int(chip, 16), int(ecid, 16)
    return 0x8010, int(udid[:16], 16)


def device_values(phone: SimIPhone) -> dict[str, Any]:
    """The default domain of GetValue, for a paired session."""
    chip_id, ecid = _chip_ids(phone.udid)
    model, platform = _HARDWARE_MODELS.get(phone.product_type, ("D00AP", "t8000"))
    values: dict[str, Any] = {
        "ActivationState": "Activated" if phone.activated else "Unactivated",
        "BasebandVersion": "2.60.01",
        "BluetoothAddress": _mac(phone, "bluetooth"),
        "BuildVersion": phone.build_version,
        "CPUArchitecture": "arm64e" if "-" in phone.udid else "arm64",
        "ChipID": chip_id,
        "DeviceClass": phone.product_type.rstrip("0123456789,") or "iPhone",
        "DeviceColor": "1",
        "DeviceName": phone.device_name,
        "DevicePublicKey": device_public_key_pem(),
        "FirmwareVersion": "iBoot-10151.122.1",
        "HardwareModel": model,
        "HardwarePlatform": platform,
        "HostAttached": True,
        "PasswordProtected": phone.passcode_set or phone.passcode_locked,
        "ProductName": "iPhone OS",
        "ProductType": phone.product_type,
        "ProductVersion": phone.os_version,
        "ProtocolVersion": "2",
        "RegionInfo": "LL/A",
        "SerialNumber": phone.serial_number,
        "TelephonyCapability": True,
        "TimeZone": "America/Toronto",
        "UniqueChipID": ecid,
        "UniqueDeviceID": phone.udid,
        "WiFiAddress": wifi_address(phone),
    }
    if phone.imei is not None:
        values["InternationalMobileEquipmentIdentity"] = phone.imei
    return values


def domain_values(phone: SimIPhone, domain: str) -> dict[str, Any] | None:
    """The few non-default domains the station reads; None for an unknown domain."""
    if domain == "com.apple.mobile.battery":
        return {"BatteryCurrentCapacity": 87, "BatteryIsCharging": True, "ExternalChargeCapable": True}
    if domain == "com.apple.disk_usage":
        return {"TotalDiskCapacity": 128_000_000_000, "TotalDataCapacity": 110_000_000_000,
                "AmountDataAvailable": 61_000_000_000}
    if domain == "com.apple.mobile.chaperone":
        return {"DeviceIsChaperoned": phone.supervised}
    if domain == "com.apple.fmip":
        return {"IsAssociated": phone.find_my}
    return None


# ---------------------------------------------------------------- the daemon


class Lockdownd:
    """One phone's lockdownd: answers connections to port 62078 and to the ports it gave out."""

    def __init__(self, phone: SimIPhone, services: Mapping[str, ServiceFactory], latency_s: float = 0.0) -> None:
        self.phone = phone
        self.services = services
        self.default_latency_s = latency_s
        self._pending: dict[int, tuple[str, ServiceFactory]] = {}
        self._next_port = FIRST_SERVICE_PORT

    @property
    def latency_s(self) -> float:
        if self.phone.latency_ms is not None:
            return self.phone.latency_ms / 1000
        return self.default_latency_s

    def accepts(self, port: int) -> bool:
        return port == LOCKDOWN_PORT or port in self._pending

    async def serve(self, port: int, stream: DeviceStream) -> None:
        """Serve one connection that usbmuxd connected to ``port``."""
        if port == LOCKDOWN_PORT:
            await _LockdownSession(self, stream).run()
            return
        name, factory = self._pending.pop(port)
        await stream.start_tls(device_tls_context())
        log.debug("%s: %s connected on port %d", self.phone.udid, name, port)
        await factory().serve(stream)

    def start_service(self, name: str) -> int:
        """Give out a port for one connection to ``name``."""
        port = self._next_port
        self._next_port = FIRST_SERVICE_PORT + (self._next_port - FIRST_SERVICE_PORT + 1) % 16000
        self._pending[port] = (name, self.services[name])
        return port

    def reset(self) -> None:
        """The phone rebooted: ports it gave out are gone."""
        self._pending.clear()


Handler = Callable[[dict[str, Any]], dict[str, Any]]


class _LockdownSession:
    """One client connection to lockdownd, with its optional TLS session."""

    def __init__(self, daemon: Lockdownd, stream: DeviceStream) -> None:
        self.daemon = daemon
        self.phone = daemon.phone
        self.stream = stream
        self.host_id: str | None = None
        self.session_id: str | None = None
        self._handlers: dict[str, Handler] = {
            "QueryType": self._query_type, "GetValue": self._get_value, "SetValue": self._set_value,
            "Pair": self._pair, "ValidatePair": self._validate_pair, "Unpair": self._unpair,
            "StartSession": self._start_session, "StopSession": self._stop_session,
            "StartService": self._start_service, "Goodbye": self._goodbye,
        }

    async def run(self) -> None:
        while True:
            request = await self.stream.read_frame()
            verb = request.get("Request")
            log.debug("%s: lockdownd %r (tls %s)", self.phone.udid, verb, self.stream.tls_active)
            await asyncio.sleep(self.daemon.latency_s)
            reply, body = self._answer(request)
            fault = self.phone.fault_in("lockdownd")
            if fault is None:
                await self.stream.write(frame(body))
            else:
                await self.stream.write_frame(reply, fault)
            if verb == "StartSession" and "Error" not in reply:
                await self.stream.start_tls(device_tls_context())
            if verb == "Goodbye":
                return

    def reply_to(self, request: dict[str, Any]) -> dict[str, Any]:
        """The reply to one request, always encodable: a request of the wrong shape (a binary plist may
        carry what an XML reply cannot, e.g. control characters echoed back) gets InvalidRequest."""
        return self._answer(request)[0]

    def _answer(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """The reply and its XML plist: serialising it is also what shows it can go out, so it is done once."""
        verb = request.get("Request")
        handler = self._handlers.get(verb) if isinstance(verb, str) else None
        if handler is not None:
            reply = {"Request": verb, **handler(request)}
            body = _encoded(reply)
            if body is not None:
                return reply, body
            reply = {"Request": verb, "Error": "InvalidRequest"}
        else:
            named = isinstance(verb, str) and _encoded(verb) is not None
            reply = {"Request": verb if named else "", "Error": "InvalidRequest"}
        return reply, plistlib.dumps(reply)

    @property
    def in_session(self) -> bool:
        """Only a paired host inside a session may read everything and start services."""
        return self.session_id is not None

    def _query_type(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"Type": LOCKDOWN_TYPE}

    def _get_value(self, request: dict[str, Any]) -> dict[str, Any]:
        domain, key = request.get("Domain"), request.get("Key")
        if not isinstance(domain, (str, type(None))) or not isinstance(key, (str, type(None))):
            return {"Error": "InvalidRequest"}
        reply: dict[str, Any] = {}
        if domain:
            reply["Domain"] = domain
        if key:
            reply["Key"] = key
        if domain:
            values = domain_values(self.phone, domain) if self.in_session else None
            if values is None:
                return {**reply, "Error": "MissingValue"}
        else:
            values = device_values(self.phone)
            if not self.in_session:
                values = {name: value for name, value in values.items() if name in PUBLIC_VALUES}
        if key is None:
            return {**reply, "Value": values}
        if key not in values:
            known = key in device_values(self.phone) and not domain
            return {**reply, "Error": "GetProhibited" if known else "MissingValue"}
        return {**reply, "Value": values[key]}

    def _set_value(self, request: dict[str, Any]) -> dict[str, Any]:
        key, value = request.get("Key"), request.get("Value")
        if not self.in_session or request.get("Domain") or not isinstance(key, str) or key not in SETTABLE_VALUES \
                or not isinstance(value, str):
            return {"Error": "SetProhibited"}
        self.phone.device_name = value
        return {"Result": "Success"}

    def _pair(self, request: dict[str, Any]) -> dict[str, Any]:
        record = request.get("PairRecord")
        host_id = record.get("HostID") if isinstance(record, dict) else None
        certificate = record.get("HostCertificate") if isinstance(record, dict) else None
        if not isinstance(host_id, str) or not isinstance(certificate, bytes):
            return {"Error": "InvalidPairRecord"}
        if host_id in self.phone.trusted_hosts:
            return {"EscrowBag": escrow_bag(self.phone, host_id)}
        if self.phone.passcode_locked:
            return {"Error": "PasswordProtected"}
        answer = self.phone.pairing_answer()
        if answer == "deny":
            return {"Error": "UserDeniedPairing"}
        if answer == "pending":
            return {"Error": "PairingDialogResponsePending"}
        self.phone.trust_host(host_id, certificate)
        log.info("%s: trusts host %s", self.phone.udid, host_id)
        return {"EscrowBag": escrow_bag(self.phone, host_id)}

    def _validate_pair(self, request: dict[str, Any]) -> dict[str, Any]:
        record = request.get("PairRecord")
        host_id = record.get("HostID") if isinstance(record, dict) else None
        if not isinstance(host_id, str) or host_id not in self.phone.trusted_hosts:
            return {"Error": "InvalidHostID"}
        return {}

    def _unpair(self, request: dict[str, Any]) -> dict[str, Any]:
        record = request.get("PairRecord")
        host_id = record.get("HostID") if isinstance(record, dict) else None
        if not isinstance(host_id, str) or host_id not in self.phone.trusted_hosts:
            return {"Error": "InvalidHostID"}
        del self.phone.trusted_hosts[host_id]
        self.phone.paired = bool(self.phone.trusted_hosts)
        return {}

    def _start_session(self, request: dict[str, Any]) -> dict[str, Any]:
        host_id = request.get("HostID")
        if self.session_id is not None:
            return {"Error": "SessionActive"}
        if not isinstance(host_id, str) or host_id not in self.phone.trusted_hosts:
            return {"Error": "InvalidHostID"}
        self.host_id = host_id
        self.session_id = str(uuid.uuid4()).upper()
        return {"SessionID": self.session_id, "EnableSessionSSL": True}

    def _stop_session(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.session_id is None or request.get("SessionID") != self.session_id:
            return {"Error": "InvalidSessionID"}
        self.session_id = None
        self.stream.plaintext_after_close_notify = True
        return {"Result": "Success"}

    def _start_service(self, request: dict[str, Any]) -> dict[str, Any]:
        name = request.get("Service")
        if not self.in_session:
            return {"Error": "SessionInactive"}
        if not isinstance(name, str) or name not in self.daemon.services:
            return {"Error": "InvalidService"}
        port = self.daemon.start_service(name)
        return {"Service": name, "Port": port, "EnableServiceSSL": True}

    def _goodbye(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"Result": "Success"}


def _encoded(message: Any) -> bytes | None:
    """A reply as an XML plist (what lockdownd answers in), or None when it cannot be one."""
    try:
        return plistlib.dumps(message)
    except (TypeError, ValueError, OverflowError):
        return None
