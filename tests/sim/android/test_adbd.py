"""The simulated adbd driven by the real adb-shell client (and a raw client for what adb-shell cannot do)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from adb_shell.adb_device_async import AdbDeviceTcpAsync
from adb_shell.auth.sign_cryptography import CryptographySigner
from adb_shell.exceptions import AdbCommandFailureException, AdbTimeoutError, PushFailedError, TcpTimeoutException

from station.sim.android import wire
from station.sim.android.adbd import EMULATOR_PORTS, SimulatedAdbd
from station.sim.android.wire import AdbMessage
from station.sim.fleet import Fleet
from station.sim.server import FleetServer
from tests.sim.conftest import address_of

T = TypeVar("T")
MAIN = "R58N12ABCDE"
OLD = "REJECT01"


def run(coroutine: Awaitable[T]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coroutine, 20)
    return asyncio.run(bounded())


async def with_device(server: FleetServer, serial: str, signer: CryptographySigner,
                      work: Callable[[AdbDeviceTcpAsync], Awaitable[T]], **connect: Any) -> T:
    host, port = address_of(server, serial)
    device = AdbDeviceTcpAsync(host, port, default_transport_timeout_s=5)
    try:
        await device.connect(rsa_keys=[signer], auth_timeout_s=connect.pop("auth_timeout_s", 2), **connect)
        return await work(device)
    finally:
        await device.close()


class RawAdb:
    """A bare-bones host speaking the wire format directly, for shell v2 and garbage."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, address: tuple[str, int]) -> RawAdb:
        return cls(*await asyncio.open_connection(*address))

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()

    async def send(self, message: AdbMessage) -> None:
        self.writer.write(wire.encode_message(message))
        await self.writer.drain()

    async def recv(self) -> AdbMessage:
        header = wire.decode_header(await self.reader.readexactly(wire.HEADER_SIZE))
        return wire.decode_payload(header, await self.reader.readexactly(header.data_length))

    async def handshake(self, signer: CryptographySigner) -> AdbMessage:
        await self.send(AdbMessage(wire.CNXN, 0x01000001, 256 * 1024, b"host::features=shell_v2\0"))
        token = await self.recv()
        assert (token.command, token.arg0, len(token.data)) == (wire.AUTH, wire.AUTH_TOKEN, wire.TOKEN_SIZE)
        await self.send(AdbMessage(wire.AUTH, wire.AUTH_SIGNATURE, 0, signer.Sign(token.data)))
        reply = await self.recv()
        if reply.command == wire.AUTH:
            await self.send(AdbMessage(wire.AUTH, wire.AUTH_RSAPUBLICKEY, 0, signer.GetPublicKey() + b"\0"))
            reply = await self.recv()
        assert reply.command == wire.CNXN
        return reply

    async def service(self, name: str, local_id: int = 1) -> bytes:
        await self.send(AdbMessage(wire.OPEN, local_id, 0, name.encode() + b"\0"))
        okay = await self.recv()
        assert (okay.command, okay.arg1) == (wire.OKAY, local_id)
        data = b""
        while True:
            message = await self.recv()
            assert (message.arg0, message.arg1) == (okay.arg0, local_id)
            if message.command == wire.CLSE:
                await self.send(AdbMessage(wire.CLSE, local_id, okay.arg0))
                return data
            assert message.command == wire.WRTE
            data += message.data
            await self.send(AdbMessage(wire.OKAY, local_id, okay.arg0))


def test_ports_avoid_emulator_range(served: FleetServer) -> None:
    assert [e.platform for e in served.endpoints] == ["android", "android", "android", "ios"]
    for endpoint in served.endpoints:
        assert endpoint.address.startswith("127.0.0.1:")
        assert int(endpoint.address.rsplit(":", 1)[1]) not in EMULATOR_PORTS


def test_accept_then_shell(served: FleetServer, signer: CryptographySigner) -> None:
    async def work(device: AdbDeviceTcpAsync) -> str:
        return str(await device.shell("pm list packages -3; echo RC=$?"))
    assert run(with_device(served, MAIN, signer, work)) == "package:com.tencent.mm\npackage:com.android.chrome\nRC=0\n"


def test_second_connection_accepted_by_signature(served: FleetServer, signer: CryptographySigner) -> None:
    prompts: list[object] = []

    async def work(device: AdbDeviceTcpAsync) -> str:
        return str(await device.shell("getprop ro.serialno"))
    assert run(with_device(served, MAIN, signer, work, auth_callback=prompts.append)) == "R58N12ABCDE\n"
    assert len(prompts) == 1
    assert run(with_device(served, MAIN, signer, work, auth_callback=prompts.append)) == "R58N12ABCDE\n"
    assert len(prompts) == 1  # no "Allow USB debugging?" the second time


def test_pending_times_out(served: FleetServer, signer: CryptographySigner) -> None:
    async def work(device: AdbDeviceTcpAsync) -> None:
        raise AssertionError("connected although nobody tapped Allow")
    with pytest.raises(TcpTimeoutException):
        run(with_device(served, "PENDING01", signer, work, auth_timeout_s=0.3))


def test_reject_closes_connection(served: FleetServer, signer: CryptographySigner) -> None:
    async def work(device: AdbDeviceTcpAsync) -> None:
        raise AssertionError("connected although the operator tapped Deny")
    started = time.monotonic()
    # adb-shell reads the closed socket until read_timeout_s, then reports the end of the stream as
    # a short read (not the TcpTimeoutException of a prompt nobody answered).
    with pytest.raises(AdbTimeoutError, match="read 0 of 24 bytes"):
        run(with_device(served, OLD, signer, work, auth_timeout_s=5, read_timeout_s=0.5))
    assert time.monotonic() - started < 3


def test_uninstall_changes_phone_state(served: FleetServer, signer: CryptographySigner) -> None:
    async def work(device: AdbDeviceTcpAsync) -> str:
        return str(await device.shell("pm uninstall --user 0 com.kmsjp"))
    assert run(with_device(served, MAIN, signer, work)) == "Success\n"
    assert 0 not in served.phone(MAIN).packages["com.kmsjp"].users


def test_push_pull_list_stat(served: FleetServer, signer: CryptographySigner, tmp_path: Path) -> None:
    payload = b"SIMAPK:com.example.big\n" + os.urandom(200_000)
    (tmp_path / "app.apk").write_bytes(payload)

    async def work(device: AdbDeviceTcpAsync) -> tuple[Any, ...]:
        await device.push(str(tmp_path / "app.apk"), "/data/local/tmp/app.apk")
        installed = await device.shell("pm install -r /data/local/tmp/app.apk")
        await device.pull("/data/local/tmp/app.apk", str(tmp_path / "back.apk"))
        listing = await device.list("/data/local/tmp")
        stat = await device.stat("/data/local/tmp/app.apk")
        missing = await device.stat("/data/local/tmp/none")
        return installed, listing, stat, missing
    installed, listing, stat, missing = run(with_device(served, MAIN, signer, work))
    assert installed == "Success\n"
    assert served.phone(MAIN).files["/data/local/tmp/app.apk"] == payload
    assert (tmp_path / "back.apk").read_bytes() == payload
    assert [(bytes(entry.filename), entry.size) for entry in listing] == [(b"app.apk", len(payload))]
    assert stat[1] == len(payload) and missing == (0, 0, 0)
    assert "com.example.big" in served.phone(MAIN).packages


def test_push_outside_writable_folders_fails(served: FleetServer, signer: CryptographySigner, tmp_path: Path) -> None:
    (tmp_path / "x").write_bytes(b"x")

    async def push(device: AdbDeviceTcpAsync) -> None:
        await device.push(str(tmp_path / "x"), "/system/x")

    async def pull(device: AdbDeviceTcpAsync) -> None:
        await device.pull("/data/local/tmp/none", str(tmp_path / "y"))
    with pytest.raises(PushFailedError, match="Permission denied"):
        run(with_device(served, MAIN, signer, push))
    with pytest.raises(AdbCommandFailureException, match="No such file"):
        run(with_device(served, MAIN, signer, pull))


def test_concurrent_shells_and_connections(fleet: Fleet, signer: CryptographySigner) -> None:
    fleet.android[0].latency_ms = 100

    async def work(device: AdbDeviceTcpAsync) -> list[str]:
        return list(await asyncio.gather(*(device.shell(f"echo {n}") for n in range(8))))

    async def several(server: FleetServer) -> list[list[str]]:
        return list(await asyncio.gather(*(with_device(server, MAIN, signer, work) for _ in range(3))))
    with FleetServer(fleet, latency=False) as server:
        started = time.monotonic()
        results = run(several(server))
        elapsed = time.monotonic() - started
    assert results == [[f"{n}\n" for n in range(8)]] * 3
    assert 0.1 <= elapsed < 1.5  # 24 commands of 100 ms each ran side by side


def test_default_latency(fleet: Fleet, signer: CryptographySigner) -> None:
    async def work(device: AdbDeviceTcpAsync) -> float:
        started = time.monotonic()
        for _ in range(3):
            await device.shell("id")
        return time.monotonic() - started
    with FleetServer(fleet, latency=True) as server:
        assert run(with_device(server, MAIN, signer, work)) >= 0.09


def test_unplug_and_replug(served: FleetServer, signer: CryptographySigner) -> None:
    async def work(device: AdbDeviceTcpAsync) -> str:
        return str(await device.shell("echo hi"))
    assert run(with_device(served, MAIN, signer, work)) == "hi\n"

    async def cut_mid_session(device: AdbDeviceTcpAsync) -> None:
        await asyncio.get_running_loop().run_in_executor(None, served.unplug, MAIN)
        await device.shell("echo gone", read_timeout_s=1)
    with pytest.raises((AdbTimeoutError, ConnectionResetError)):
        run(with_device(served, MAIN, signer, cut_mid_session))
    with pytest.raises(ConnectionRefusedError):
        run(with_device(served, MAIN, signer, work))
    served.replug(MAIN)
    assert run(with_device(served, MAIN, signer, work, auth_callback=pytest.fail)) == "hi\n"


def test_shell_v2_exec_and_refused_service(served: FleetServer, signer: CryptographySigner) -> None:
    async def session() -> tuple[AdbMessage, bytes, bytes, bytes, AdbMessage]:
        raw = await RawAdb.connect(address_of(served, MAIN))
        try:
            banner = await raw.handshake(signer)
            v2 = await raw.service("shell,v2,raw:pm uninstall com.nope; echo done", local_id=5)
            legacy = await raw.service("shell:pm uninstall com.nope")
            exec_out = await raw.service("exec:getprop ro.product.model", local_id=9)
            await raw.send(AdbMessage(wire.OPEN, 11, 0, b"framebuffer:\0"))
            return banner, v2, legacy, exec_out, await raw.recv()
        finally:
            await raw.close()
    banner, v2, legacy, exec_out, refused = run(session())
    assert banner.arg0 == 0x01000001
    assert banner.data == b"device::ro.product.name=sms911wuser;ro.product.model=SM-S911W;ro.product.device=sms911w;features=shell_v2,cmd"
    packets = wire.ShellPacketReader().feed(v2)
    assert packets == [(wire.SHELL_STDOUT, b"done\n"), (wire.SHELL_STDERR, b"Failure [not installed for 0]\n"),
                       (wire.SHELL_EXIT, b"\x00")]
    assert legacy == b"Failure [not installed for 0]\n"
    assert exec_out == b"SM-S911W\n"
    assert (refused.command, refused.arg0, refused.arg1) == (wire.CLSE, 0, 11)


def test_old_phone_shell_uses_crlf(served: FleetServer, signer: CryptographySigner) -> None:
    served.phone(OLD).auth = "accept"
    served.phone(OLD).sdk = 23  # Android 6

    async def work(device: AdbDeviceTcpAsync) -> str:
        return str(await device.shell("echo a; echo b"))
    assert run(with_device(served, OLD, signer, work)) == "a\r\nb\r\n"


@pytest.mark.parametrize("garbage", [
    b"\x00" * 24,
    wire.encode_message(AdbMessage(wire.CNXN, 0x01000000, 4096, b"host::\0"))[:16] + b"\x01\0\0\0" + b"\0" * 4,
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
])
def test_garbage_drops_connection_but_not_the_phone(served: FleetServer, signer: CryptographySigner, garbage: bytes) -> None:
    async def session() -> bytes:
        raw = await RawAdb.connect(address_of(served, MAIN))
        try:
            await raw.send(AdbMessage(wire.CNXN, 0x01000000, 4096, b"host::\0"))
            await raw.recv()
            raw.writer.write(garbage)
            return await asyncio.wait_for(raw.reader.read(), 5)
        finally:
            await raw.close()
    assert run(session()) == b""

    async def work(device: AdbDeviceTcpAsync) -> str:
        return str(await device.shell("echo alive"))
    assert run(with_device(served, MAIN, signer, work)) == "alive\n"


def test_bad_checksum_drops_connection(served: FleetServer) -> None:
    async def session() -> bytes:
        raw = await RawAdb.connect(address_of(served, MAIN))
        try:
            message = bytearray(wire.encode_message(AdbMessage(wire.CNXN, 0x01000000, 4096, b"host::\0")))
            message[16] ^= 0xFF
            raw.writer.write(bytes(message))
            return await asyncio.wait_for(raw.reader.read(), 5)
        finally:
            await raw.close()
    assert run(session()) == b""


def test_adbd_standalone_in_callers_loop(fleet: Fleet) -> None:
    async def session() -> tuple[bool, bool]:
        adbd = SimulatedAdbd(fleet.android[0])
        await adbd.start()
        try:
            raw = await RawAdb.connect(("127.0.0.1", adbd.port))
            await raw.send(AdbMessage(wire.OPEN, 1, 0, b"shell:id\0"))  # before CNXN: ignored
            await raw.send(AdbMessage(wire.CNXN, 0x01000000, 4096, b"host::\0"))
            token = await raw.recv()
            await adbd.unplug()
            closed = await asyncio.wait_for(raw.reader.read(), 5) == b""
            await raw.close()
            return token.command == wire.AUTH, closed and not adbd.listening
        finally:
            await adbd.close()
    assert run(session()) == (True, True)


def test_serve_forever_prints_endpoints_and_stops_on_sigterm(fleet_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from station.sim.server import serve_forever; "
            "sys.exit(serve_forever(Path(sys.argv[1]), False, sys.stdout))")
    process = subprocess.Popen([sys.executable, "-c", code, str(fleet_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=Path(__file__).parents[2], text=True)
    try:
        assert process.stdout is not None
        lines = [json.loads(process.stdout.readline()) for _ in range(4)]
        assert [line["serial"] for line in lines[:3]] == [MAIN, "PENDING01", OLD]
        assert all(line["platform"] == "android" and line["address"].startswith("127.0.0.1:") for line in lines[:3])
        assert lines[3]["platform"] == "ios" and lines[3]["usbmuxd"].startswith("127.0.0.1:")
        assert lines[3]["serials"] == ["00008030-001A2B3C4D5E802E"]
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert stdout == ""
