"""A simulated usbmuxd on 127.0.0.1, serving simulated iPhones to pymobiledevice3 and libimobiledevice.

Point a client at it with USBMUXD_SOCKET_ADDRESS=127.0.0.1:PORT (both libraries) or pymobiledevice3's
``usbmux_address`` argument. It speaks the plist protocol only (what both clients use): ListDevices,
Listen (then Attached/Detached/Paired pushes), ReadBUID, Read/Save/DeletePairRecord, and Connect,
after which the socket is a raw pipe to the phone's lockdownd or to a service port it gave out.

A phone whose fleet entry says ``paired = true`` comes with a pair record already held here, as on a
depot PC that trusted the phone before: clients find it through ReadPairRecord.
"""

from __future__ import annotations

import asyncio
import logging
import plistlib
import socket
import uuid
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from station.sim.ios.lockdownd import Lockdownd, make_pair_record
from station.sim.ios.phone import SimIPhone
from station.sim.ios.plist_wire import ConnectionEnded, DeviceStream, UsbmuxPacket, WireError, encode_usbmux, faulty_usbmux
from station.sim.ios.services import service_factories

log = logging.getLogger(__name__)

RESULT_OK = 0
RESULT_BADCOMMAND = 1
RESULT_BADDEV = 2
RESULT_CONNREFUSED = 3
APPLE_PRODUCT_ID = 0x12A8
USB2_SPEED = 480_000_000
DEFAULT_REBOOT_S = 0.5
_CALL_TIMEOUT_S = 10.0
# The HostID of the pair records this usbmuxd holds for phones that were paired before the run.
STATION_HOST_ID = str(uuid.uuid5(uuid.NAMESPACE_DNS, "depot-station.simulated-host")).upper()

T = TypeVar("T")


@dataclass
class _Attached:
    """A phone plugged in under one usbmuxd DeviceID, with the connections piped to it."""

    device_id: int
    location_id: int
    phone: SimIPhone
    lockdownd: Lockdownd
    connections: set[asyncio.StreamWriter] = field(default_factory=set)

    def record(self) -> dict[str, Any]:
        return {
            "DeviceID": self.device_id,
            "MessageType": "Attached",
            "Properties": {
                "ConnectionSpeed": USB2_SPEED,
                "ConnectionType": "USB",
                "DeviceID": self.device_id,
                "LocationID": self.location_id,
                "ProductID": APPLE_PRODUCT_ID,
                "SerialNumber": self.phone.udid,
                "USBSerialNumber": self.phone.udid.replace("-", ""),
            },
        }


class SimulatedUsbmuxd:
    """The asyncio server. Every method runs on its event loop (use IosFleetServer from other threads).

    ``latency_s`` is the per-request delay of phones without their own latency_ms; ``reboot_s`` is
    how long an erased phone stays unplugged before it comes back as a fresh, unpaired phone.
    """

    def __init__(self, phones: Iterable[SimIPhone] = (), *, latency_s: float = 0.0, reboot_s: float = DEFAULT_REBOOT_S,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.latency_s = latency_s
        self.reboot_s = reboot_s
        self.buid = str(uuid.uuid4()).upper()
        self._host, self._port = host, port
        self._initial = list(phones)
        self._devices: dict[int, _Attached] = {}
        self._next_device_id = 1
        self._pair_records: dict[str, bytes] = {}
        self.pulled: dict[str, SimIPhone] = {}  # unplugged by their unplug_on hook, until plugged back
        self._listeners: set[asyncio.StreamWriter] = set()
        self._clients: set[asyncio.StreamWriter] = set()
        self._background: set[asyncio.Task[None]] = set()
        self._handlers: set[asyncio.Task[Any]] = set()
        self._server: asyncio.Server | None = None

    @property
    def address(self) -> str:
        """'127.0.0.1:PORT', for USBMUXD_SOCKET_ADDRESS or pymobiledevice3's usbmux_address."""
        if self._server is None:
            raise RuntimeError("usbmuxd is not running")
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"{host}:{port}"

    @property
    def phones(self) -> list[SimIPhone]:
        return [attached.phone for attached in self._devices.values()]

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve_client, self._host, self._port)
        for phone in self._initial:
            self.attach(phone)

    def drop_clients(self) -> None:
        """Close every client connection, listeners included, as a usbmuxd restarted or failing does."""
        for writer in list(self._clients):
            writer.transport.abort()

    async def stop(self) -> None:
        """Stop listening, end pending reboots, and drop every client connection.

        Client handlers are ended by closing their sockets, not cancelled: on Python 3.11 a
        cancelled start_server handler makes asyncio log a spurious error."""
        if self._server is not None:
            self._server.close()
        for task in list(self._background):
            task.cancel()
        for writer in list(self._clients):
            # Aborted, not closed: a phone's TLS session would otherwise wait on a closing handshake that a
            # stopping loop never finishes, and leave its socket open.
            writer.transport.abort()
        pending = self._background | self._handlers
        if pending:
            await asyncio.wait(pending, timeout=_CALL_TIMEOUT_S / 2)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    def attach(self, phone: SimIPhone) -> int:
        """Plug a phone in; returns its DeviceID. Listening clients are told."""
        if any(attached.phone.udid == phone.udid for attached in self._devices.values()):
            raise ValueError(f"{phone.udid} is already attached")
        pre_paired = phone.paired and (not phone.trusted_hosts or STATION_HOST_ID in phone.trusted_hosts)
        if pre_paired and phone.udid not in self._pair_records:
            record = make_pair_record(phone, STATION_HOST_ID, self.buid)
            self._pair_records[phone.udid] = plistlib.dumps(record)
            phone.trust_host(STATION_HOST_ID, record["HostCertificate"])
        device_id = self._next_device_id
        self._next_device_id += 1
        factories = service_factories(phone, lambda: self._schedule_reboot(phone.udid), self.latency_s,
                                      lambda: self._pull_cable(phone.udid))
        attached = _Attached(device_id, 0x01100000 + device_id, phone, Lockdownd(phone, factories, self.latency_s))
        self._devices[device_id] = attached
        self._push(attached.record())
        log.info("usbmuxd: %s attached as device %d", phone.udid, device_id)
        return device_id

    def detach(self, udid: str) -> SimIPhone:
        """Unplug a phone: its connections drop and listening clients are told."""
        for device_id, attached in list(self._devices.items()):
            if attached.phone.udid == udid:
                del self._devices[device_id]
                attached.lockdownd.reset()
                for writer in list(attached.connections):
                    writer.close()
                self._push({"MessageType": "Detached", "DeviceID": device_id})
                log.info("usbmuxd: %s detached", udid)
                return attached.phone
        raise KeyError(udid)

    def _pull_cable(self, udid: str) -> None:
        self.pulled[udid] = self.detach(udid)

    def _schedule_reboot(self, udid: str) -> None:
        self._spawn(self._reboot(udid))

    async def _reboot(self, udid: str) -> None:
        phone = self.detach(udid)
        await asyncio.sleep(self.reboot_s)
        self.attach(phone)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _push(self, message: dict[str, Any]) -> None:
        data = encode_usbmux(message, 0)
        for writer in list(self._listeners):
            if writer.is_closing():
                self._listeners.discard(writer)
            else:
                writer.write(data)

    async def _serve_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        self._clients.add(writer)
        stream = DeviceStream(reader, writer)
        try:
            await self._requests(stream)
        except (ConnectionEnded, ConnectionError, asyncio.IncompleteReadError):
            pass
        except WireError as exc:
            log.warning("usbmuxd: dropping a client: %s", exc)
        except Exception:
            log.exception("usbmuxd: dropping a client after an internal error")
        finally:
            self._clients.discard(writer)
            self._listeners.discard(writer)
            for attached in self._devices.values():
                attached.connections.discard(writer)
            await stream.close()

    async def _requests(self, stream: DeviceStream) -> None:
        while True:
            packet = await stream.read_usbmux()
            kind = packet.payload.get("MessageType")
            if kind == "Connect":
                attached, port, result = self._connect_target(packet)
                fault = self._connect_fault(packet)
                if fault is not None:
                    data, close = faulty_usbmux(_result(result), packet.tag, fault)
                    await stream.write(data)
                    if close:
                        return
                    continue
                await stream.write(encode_usbmux(_result(result), packet.tag))
                if attached is None:
                    continue
                attached.connections.add(stream.writer)
                try:
                    await attached.lockdownd.serve(port, stream)
                except WireError as exc:
                    raise WireError(f"{attached.phone.udid} port {port}: {exc}") from None
                return
            reply = self._answer(kind, packet, stream.writer)
            await stream.write(encode_usbmux(reply, packet.tag))
            if kind == "Listen":
                # As the real usbmuxd does, a new listener first hears of every phone already attached.
                for attached in self._devices.values():
                    await stream.write(encode_usbmux(attached.record(), 0))
                self._listeners.add(stream.writer)

    def _answer(self, kind: object, packet: UsbmuxPacket, writer: asyncio.StreamWriter) -> dict[str, Any]:
        if kind == "ListDevices":
            return {"DeviceList": [attached.record() for attached in self._devices.values()]}
        if kind == "Listen":
            return _result(RESULT_OK)
        if kind == "ReadBUID":
            return {"BUID": self.buid}
        if kind in ("ReadPairRecord", "SavePairRecord", "DeletePairRecord"):
            return self._answer_pair_record(kind, packet.payload)
        log.warning("usbmuxd: unknown request %r", kind)
        return _result(RESULT_BADCOMMAND)

    def _answer_pair_record(self, kind: object, payload: dict[str, Any]) -> dict[str, Any]:
        """ReadPairRecord, SavePairRecord or DeletePairRecord: the host pair records usbmuxd keeps."""
        if kind == "ReadPairRecord":
            record = self._pair_records.get(str(payload.get("PairRecordID")))
            return _result(RESULT_BADDEV) if record is None else {"PairRecordData": record}
        if kind == "SavePairRecord":
            record_id, data = payload.get("PairRecordID"), payload.get("PairRecordData")
            if not isinstance(record_id, str) or not isinstance(data, bytes):
                return _result(RESULT_BADCOMMAND)
            self._pair_records[record_id] = data
            for attached in self._devices.values():
                if attached.phone.udid == record_id:
                    self._push({"MessageType": "Paired", "DeviceID": attached.device_id})
            return _result(RESULT_OK)
        # DeletePairRecord
        self._pair_records.pop(str(payload.get("PairRecordID")), None)
        return _result(RESULT_OK)

    def _connect_fault(self, packet: UsbmuxPacket) -> str | None:
        """The fault of a phone whose fleet entry mangles usbmuxd's answers to Connect (reply_fault_in = "usbmuxd").
        Called after _connect_target, which has refused a DeviceID that is not an int."""
        device_id = packet.payload.get("DeviceID")
        attached = self._devices.get(device_id) if isinstance(device_id, int) else None
        return attached.phone.fault_in("usbmuxd") if attached is not None else None

    def _connect_target(self, packet: UsbmuxPacket) -> tuple[_Attached | None, int, int]:
        """The phone and port a Connect asks for (PortNumber arrives in network byte order), and
        the result code: BADDEV for a phone that is not plugged in (as real usbmuxd answers),
        CONNREFUSED for a port nothing listens on."""
        device_id, port_number = packet.payload.get("DeviceID"), packet.payload.get("PortNumber")
        if not isinstance(device_id, int) or not isinstance(port_number, int) or not 0 <= port_number <= 0xFFFF:
            raise WireError(f"malformed Connect {packet.payload!r}")
        port = socket.ntohs(port_number)
        attached = self._devices.get(device_id)
        if attached is None:
            return None, port, RESULT_BADDEV
        if not attached.lockdownd.accepts(port):
            return None, port, RESULT_CONNREFUSED
        return attached, port, RESULT_OK


def _result(number: int) -> dict[str, Any]:
    return {"MessageType": "Result", "Number": number}
