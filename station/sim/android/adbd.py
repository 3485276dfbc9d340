"""A simulated adbd: one phone's ADB daemon on a TCP port, speaking the real protocol.

adb-shell and Debian's adb connect to it as to a phone with wireless debugging: the same CNXN/AUTH
handshake with real RSA signatures, the same streams, shell (legacy and v2), exec and sync services.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine
from contextlib import suppress
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from station.sim.android import wire
from station.sim.android.files import list_dir, stat_path
from station.sim.android.phone import WRITABLE_DIRS, SimAndroidPhone
from station.sim.android.shell import AndroidShell
from station.sim.android.wire import AdbMessage, AdbWireError

log = logging.getLogger(__name__)

FEATURES = "shell_v2,cmd"
# The adb server probes these ports for emulators; a simulated phone there would show up twice.
EMULATOR_PORTS = range(5555, 5586)
_BIND_ATTEMPTS = 20
_V2_PACKET_MAX = 32 * 1024
_OLD_PTY_SDK = 24  # before Android 7 the legacy shell service ran commands on a pty


class SimulatedAdbd:
    """The ADB daemon of one simulated phone. Start it inside a running event loop."""

    def __init__(self, phone: SimAndroidPhone, *, default_latency_s: float = 0.0, host: str = "127.0.0.1") -> None:
        self.phone = phone
        self.host = host
        self.default_latency_s = default_latency_s
        self.trusted_keys: list[RSAPublicKey] = []
        self._server: asyncio.Server | None = None
        self._port = 0
        self._connections: set[_AdbConnection] = set()
        self._reboot: asyncio.Task[None] | None = None

    @property
    def latency_s(self) -> float:
        if self.phone.latency_ms is not None:
            return self.phone.latency_ms / 1000
        return self.default_latency_s

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("the simulated adbd has not been started")
        return self._port

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def listening(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        """Listen on an ephemeral port outside 5555-5585 (or on the previous port after unplug)."""
        if self._server is not None:
            return
        if self._port:
            self._server = await asyncio.start_server(self._accept, self.host, self._port)
            return
        for _ in range(_BIND_ATTEMPTS):
            server = await asyncio.start_server(self._accept, self.host, 0)
            port = server.sockets[0].getsockname()[1]
            if port not in EMULATOR_PORTS:
                self._server, self._port = server, port
                return
            server.close()
            await server.wait_closed()
        raise OSError(f"could not get a port outside {EMULATOR_PORTS.start}-{EMULATOR_PORTS.stop - 1}")

    async def unplug(self) -> None:
        """Drop every connection and stop listening, as when the cable is pulled."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for connection in list(self._connections):
            await connection.close()

    async def replug(self) -> None:
        """Listen again on the same port."""
        await self.start()

    async def close(self) -> None:
        if self._reboot is not None:
            self._reboot.cancel()
        await self.unplug()

    def reboot_soon(self, into: str) -> None:
        """Go away as a rebooting phone does, a moment after the command that asked, and come back after
        the phone's reboot_s. Into recovery, the simulated operator then does what the fleet says."""

        async def reboot() -> None:
            await asyncio.sleep(0.2)
            await self.unplug()
            await asyncio.sleep(self.phone.reboot_s)
            if into == "recovery" and self.phone.in_recovery != "reboot":
                self.phone.reset_in_recovery(to_setup=self.phone.in_recovery == "reset-to-setup")
                self.trusted_keys.clear()
            if self.phone.adb_enabled:  # a phone reset to its setup screens has USB debugging off
                await self.replug()

        self._reboot = asyncio.get_running_loop().create_task(reboot())

    def debugging_turned_off(self) -> None:
        """adb_enabled became 0: AdbService stops adbd, a moment after the command that asked, and it stays
        away (nothing can turn it back on over adb)."""

        async def stop() -> None:
            await asyncio.sleep(0.2)
            await self.unplug()

        self._reboot = asyncio.get_running_loop().create_task(stop())

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = _AdbConnection(self, reader, writer)
        self._connections.add(connection)
        try:
            await connection.serve()
        finally:
            self._connections.discard(connection)


class _Stream:
    """One OPENed service. ``local_id`` is ours, ``remote_id`` the host's."""

    def __init__(self, connection: _AdbConnection, local_id: int, remote_id: int) -> None:
        self.connection = connection
        self.local_id = local_id
        self.remote_id = remote_id
        self.inbound: asyncio.Queue[bytes] = asyncio.Queue()
        self.acked = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def write(self, data: bytes) -> None:
        """Send ``data`` in WRTE messages, waiting for the host's OKAY after each (flow control)."""
        size = self.connection.max_payload
        for start in range(0, len(data), size):
            self.acked.clear()
            await self.connection.send(AdbMessage(wire.WRTE, self.local_id, self.remote_id, data[start:start + size]))
            await self.acked.wait()

    async def close(self) -> None:
        """Close from our side; the host answers CLSE, which finds no stream and is ignored."""
        if self.connection.streams.pop(self.local_id, None) is not None:
            await self.connection.send(AdbMessage(wire.CLSE, self.local_id, self.remote_id))


class _AdbConnection:
    """One host connection: handshake, then any number of concurrent streams."""

    def __init__(self, adbd: SimulatedAdbd, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.adbd = adbd
        self.reader = reader
        self.writer = writer
        self.peer = str(writer.get_extra_info("peername"))
        self.version = wire.VERSION
        self.max_payload = wire.MAX_PAYLOAD
        self.token = b""
        self.authorized = False
        self.streams: dict[int, _Stream] = {}
        self._next_id = 1
        self._send_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    async def serve(self) -> None:
        try:
            while True:
                header = wire.decode_header(await self.reader.readexactly(wire.HEADER_SIZE))
                data = await self.reader.readexactly(header.data_length)
                version = header.arg0 if header.command == wire.CNXN else self.version
                message = wire.decode_payload(header, data, verify_checksum=version < wire.VERSION_SKIP_CHECKSUM)
                await self._dispatch(message)
        except AdbWireError as exc:
            log.warning("%s: dropping connection from %s: %s", self.adbd.phone.serial, self.peer, exc)
        except (asyncio.IncompleteReadError, ConnectionError):
            log.debug("%s: host %s went away", self.adbd.phone.serial, self.peer)
        finally:
            await self.close()

    async def close(self) -> None:
        for task in list(self._tasks):
            if task is not asyncio.current_task():
                task.cancel()
        self.streams.clear()
        self.writer.close()
        with suppress(ConnectionError, OSError):
            await self.writer.wait_closed()

    async def send(self, message: AdbMessage) -> None:
        if self.writer.is_closing():
            raise ConnectionResetError("connection closed")
        async with self._send_lock:
            self.writer.write(wire.encode_message(message))
            await self.writer.drain()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            if not isinstance(exc, ConnectionError):
                log.error("%s: service failed", self.adbd.phone.serial, exc_info=exc)

    async def _dispatch(self, message: AdbMessage) -> None:
        command = message.command
        if command == wire.CNXN:
            self.version = min(message.arg0, wire.VERSION_SKIP_CHECKSUM)
            self.max_payload = max(1024, min(message.arg1, wire.MAX_PAYLOAD))
            self.authorized = False
            await self._send_token()
        elif command == wire.AUTH:
            await self._auth(message)
        elif not self.authorized:
            log.debug("%s: ignoring %r before authorisation", self.adbd.phone.serial, command)
        elif command == wire.OPEN:
            await self._open(message.arg0, message.data.rstrip(b"\0").decode("utf-8", "replace"))
        elif command == wire.OKAY:
            stream = self.streams.get(message.arg1)
            if stream is not None:
                stream.acked.set()
        elif command == wire.WRTE:
            stream = self.streams.get(message.arg1)
            if stream is not None:
                stream.inbound.put_nowait(message.data)
                await self.send(AdbMessage(wire.OKAY, stream.local_id, stream.remote_id))
        elif command == wire.CLSE:
            stream = self.streams.pop(message.arg1, None)
            if stream is not None:
                if stream.task is not None:
                    stream.task.cancel()
                await self.send(AdbMessage(wire.CLSE, stream.local_id, stream.remote_id))

    async def _send_token(self) -> None:
        self.token = os.urandom(wire.TOKEN_SIZE)
        await self.send(AdbMessage(wire.AUTH, wire.AUTH_TOKEN, 0, self.token))

    async def _auth(self, message: AdbMessage) -> None:
        if message.arg0 == wire.AUTH_SIGNATURE:
            if any(wire.signature_matches(key, self.token, message.data) for key in self.adbd.trusted_keys):
                await self._send_banner()
            else:
                await self._send_token()
        elif message.arg0 == wire.AUTH_RSAPUBLICKEY:
            key = wire.decode_public_key(message.data)
            self._spawn(self._operator_answers(key))
        else:
            raise AdbWireError(f"unknown AUTH type {message.arg0}")

    async def _operator_answers(self, key: RSAPublicKey) -> None:
        """The phone shows "Allow USB debugging?"; the fleet file says what the operator does."""
        phone = self.adbd.phone
        if phone.auth == "pending":
            log.info("%s: waiting for an operator who never taps Allow", phone.serial)
            return
        await asyncio.sleep(phone.auth_delay_s)
        if phone.auth == "reject":
            log.info("%s: operator tapped Deny", phone.serial)
            await self.close()
            return
        if not any(known.public_numbers() == key.public_numbers() for known in self.adbd.trusted_keys):
            self.adbd.trusted_keys.append(key)
        await self._send_banner()

    async def _send_banner(self) -> None:
        props = self.adbd.phone.properties
        banner = (
            f"device::ro.product.name={props.get('ro.product.name', '')};"
            f"ro.product.model={props.get('ro.product.model', '')};"
            f"ro.product.device={props.get('ro.product.device', '')};features={FEATURES}"
        )
        self.authorized = True
        await self.send(AdbMessage(wire.CNXN, self.version, self.max_payload, banner.encode()))

    async def _open(self, remote_id: int, service: str) -> None:
        name, _, argument = service.partition(":")
        kind, *options = name.split(",")
        if kind == "reboot" and remote_id != 0 and argument in ("", "recovery"):  # `adb reboot [recovery]`
            await self.send(AdbMessage(wire.OKAY, self._next_id, remote_id))
            self._next_id += 1
            self.adbd.reboot_soon(argument or "system")
            return
        if kind not in ("shell", "exec", "sync") or remote_id == 0:
            log.info("%s: refusing service %r", self.adbd.phone.serial, service)
            await self.send(AdbMessage(wire.CLSE, 0, remote_id))
            return
        local_id = self._next_id
        self._next_id += 1
        stream = _Stream(self, local_id, remote_id)
        self.streams[local_id] = stream
        await self.send(AdbMessage(wire.OKAY, local_id, remote_id))
        stream.task = self._spawn(self._run_service(stream, kind, argument, "v2" in options))

    async def _run_service(self, stream: _Stream, kind: str, argument: str, v2: bool) -> None:
        """One service on one stream, after the phone's per-command latency."""
        await asyncio.sleep(self.adbd.latency_s)
        if kind == "sync":
            await self._sync(stream)
        else:
            await self._shell(stream, argument, kind, v2)
        await stream.close()

    async def _shell(self, stream: _Stream, command: str, kind: str, v2: bool) -> None:
        result = AndroidShell(self.adbd.phone).run(command)
        if self.adbd.phone.reboot_requested:
            self.adbd.reboot_soon(self.adbd.phone.reboot_requested)
            self.adbd.phone.reboot_requested = None
        elif not self.adbd.phone.adb_enabled:
            self.adbd.debugging_turned_off()
        if not v2:
            output = result.merged
            if kind == "shell" and self.adbd.phone.sdk < _OLD_PTY_SDK:
                output = output.replace(b"\n", b"\r\n")
            await stream.write(output)
            return
        for packet_id, data in ((wire.SHELL_STDOUT, result.stdout), (wire.SHELL_STDERR, result.stderr)):
            for start in range(0, len(data), _V2_PACKET_MAX):
                await stream.write(wire.encode_shell_packet(packet_id, data[start:start + _V2_PACKET_MAX]))
        await stream.write(wire.encode_shell_packet(wire.SHELL_EXIT, bytes([result.exit_code & 0xFF])))

    async def _sync(self, stream: _Stream) -> None:
        """The file sync service (v1 requests only; v2 features are not advertised)."""
        requests = wire.SyncRequestReader()
        sending: tuple[str, list[bytes]] | None = None
        while True:
            try:
                batch = requests.feed(await stream.inbound.get())
            except AdbWireError as exc:
                log.warning("%s: bad sync request: %s", self.adbd.phone.serial, exc)
                await stream.write(_sync_fail(f"protocol failure: {exc}"))
                return
            for request in batch:
                if sending is not None:
                    path, chunks = sending
                    if request.id == b"DATA":
                        chunks.append(request.data)
                        continue
                    sending = None
                    if request.id != b"DONE":
                        await stream.write(_sync_fail(f"expected DATA or DONE, got {request.id.decode('ascii', 'replace')}"))
                        return
                    await stream.write(self._store(path, b"".join(chunks)))
                elif request.id == b"QUIT":
                    return
                elif request.id == b"SEND":
                    path = request.data.decode("utf-8", "replace").rsplit(",", 1)[0]
                    sending = (path, [])
                else:
                    await stream.write(self._sync_reply(request))

    def _sync_reply(self, request: wire.SyncRequest) -> bytes:
        phone = self.adbd.phone
        path = request.data.decode("utf-8", "replace")
        if request.id == b"STAT":
            return wire.encode_sync_stat(*(stat_path(phone, path) or (0, 0, 0)))
        if request.id == b"LIST":
            entries = [b""]
            if stat_path(phone, path) is not None:
                for name in list_dir(phone, path):
                    mode, size, mtime = stat_path(phone, f"{path.rstrip('/')}/{name}") or (0, 0, 0)
                    entries.append(wire.encode_sync_dent(mode, size, mtime, name.encode()))
            return b"".join(entries) + wire.encode_sync_list_done()
        if request.id == b"RECV":
            data = phone.files.get(path)
            if data is None:
                return _sync_fail(f"open failed: {'Is a directory' if path in phone.directories else 'No such file or directory'}")
            chunks = [wire.encode_sync(b"DATA", len(data[i:i + wire.SYNC_DATA_MAX]), data[i:i + wire.SYNC_DATA_MAX])
                      for i in range(0, len(data), wire.SYNC_DATA_MAX)]
            return b"".join(chunks) + wire.encode_sync(b"DONE", 0)
        return _sync_fail(f"unexpected {request.id.decode('ascii', 'replace')} request")

    def _store(self, path: str, data: bytes) -> bytes:
        phone = self.adbd.phone
        if path in phone.directories:
            return _sync_fail(f"couldn't create file: {path}: Is a directory")
        if not any(path.startswith(folder + "/") for folder in WRITABLE_DIRS):
            return _sync_fail(f"couldn't create file: {path}: Permission denied")
        phone.write_file(path, data)
        return wire.encode_sync(b"OKAY", 0)


def _sync_fail(reason: str) -> bytes:
    message = reason.encode()
    return wire.encode_sync(b"FAIL", len(message), message)
