"""Serve a whole fleet of simulated phones from one background thread with its own event loop.

The phones never share the caller's loop, so a GUI (or the station's own engine loop) in the
main thread is not slowed by them, and they keep answering while the caller blocks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, TextIO, TypeVar

from station.sim.android.adbd import SimulatedAdbd
from station.sim.android.phone import SimAndroidPhone
from station.sim.fleet import Fleet, load_fleet
from station.sim.ios.phone import SimIPhone
from station.sim.ios.usbmuxd import DEFAULT_REBOOT_S, SimulatedUsbmuxd

log = logging.getLogger(__name__)

REALISTIC_LATENCY_S = 0.030
_CALL_TIMEOUT_S = 10.0
_SHUTDOWN_TIMEOUT_S = 5.0

T = TypeVar("T")


@dataclass(frozen=True)
class Endpoint:
    """Where one simulated phone can be reached."""

    serial: str
    platform: str
    address: str


class FleetServer:
    """Context manager running every phone of ``fleet`` until exit: an adbd per Android phone, and
    one usbmuxd for all iPhones (as on a real PC). ``ios_reboot_s`` is how long an erased iPhone is away."""

    def __init__(self, fleet: Fleet, *, latency: bool = True, ios_reboot_s: float = DEFAULT_REBOOT_S) -> None:
        self.fleet = fleet
        self.latency_s = REALISTIC_LATENCY_S if latency else 0.0
        self._daemons: dict[str, SimulatedAdbd] = {}
        self._usbmuxd = SimulatedUsbmuxd(fleet.ios, latency_s=self.latency_s, reboot_s=ios_reboot_s)
        self._unplugged_iphones: dict[str, SimIPhone] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FleetServer:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=self._run_loop, name="sim-fleet", daemon=True)
        self._thread.start()
        try:
            self._call(self._start())
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            if loop.is_running():
                self._call(self._stop(), timeout=_SHUTDOWN_TIMEOUT_S)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_SHUTDOWN_TIMEOUT_S)
            loop.close()
            self._loop = self._thread = None

    @property
    def endpoints(self) -> list[Endpoint]:
        """Each phone and where to reach it: an adbd address, or the usbmuxd that serves an iPhone."""
        android = [Endpoint(serial, "android", adbd.address) for serial, adbd in self._daemons.items()]
        return android + [Endpoint(phone.udid, "ios", self.usbmux_address) for phone in self.fleet.ios]

    @property
    def usbmux_address(self) -> str:
        """'127.0.0.1:PORT' of the simulated usbmuxd (for --usbmux and USBMUXD_SOCKET_ADDRESS)."""
        return self._usbmuxd.address

    def phone(self, serial: str) -> SimAndroidPhone:
        return self._daemon(serial).phone

    def iphone(self, udid: str) -> SimIPhone:
        found = [phone for phone in self.fleet.ios if phone.udid == udid]
        if not found:
            raise KeyError(f"no simulated iPhone with UDID {udid!r}")
        return found[0]

    def attach(self, phone: SimIPhone) -> None:
        """Plug in an iPhone that was not in the fleet file."""
        self.fleet.ios.append(phone)
        self._call(_on_loop(self._usbmuxd.attach, phone))

    def unplug(self, serial: str) -> None:
        if serial in self._daemons:
            self._call(self._daemons[serial].unplug())
        else:
            self._unplugged_iphones[serial] = self._call(_on_loop(self._usbmuxd.detach, serial))

    def drop_usbmux_clients(self) -> None:
        """usbmuxd ends every client's connection, as when it is restarted or fails."""
        self._call(_on_loop(self._usbmuxd.drop_clients))

    def replug(self, serial: str) -> None:
        """Plug back a phone unplugged by unplug(), or an iPhone pulled by its unplug_on hook."""
        if serial in self._daemons:
            self._call(self._daemons[serial].replug())
        else:
            phone = self._unplugged_iphones.pop(serial, None) or self._call(_on_loop(self._usbmuxd.pulled.pop, serial))
            self._call(_on_loop(self._usbmuxd.attach, phone))

    def _daemon(self, serial: str) -> SimulatedAdbd:
        try:
            return self._daemons[serial]
        except KeyError:
            raise KeyError(f"no simulated phone with serial {serial!r}") from None

    def _run_loop(self) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def _call(self, coroutine: Coroutine[Any, Any, T], timeout: float = _CALL_TIMEOUT_S) -> T:
        if self._loop is None:
            coroutine.close()
            raise RuntimeError("the fleet server is not running (use it in a with block)")
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def _start(self) -> None:
        await self._usbmuxd.start()
        for phone in self.fleet.android:
            adbd = SimulatedAdbd(phone, default_latency_s=self.latency_s)
            await adbd.start()
            self._daemons[phone.serial] = adbd
            log.info("%s listening on %s", phone.serial, adbd.address)

    async def _stop(self) -> None:
        await self._usbmuxd.stop()
        for adbd in self._daemons.values():
            await adbd.close()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)


async def _on_loop(function: Callable[..., T], *args: Any) -> T:
    """Run a plain function on the fleet's loop (usbmuxd's attach/detach must run there)."""
    return function(*args)


def serve_forever(fleet_path: Path, latency: bool, out: TextIO) -> int:
    """`station simulate FLEET.toml`: serve until SIGINT/SIGTERM; one JSON line per phone on ``out``."""
    fleet = load_fleet(fleet_path)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with FleetServer(fleet, latency=latency) as served:
            for endpoint in served.endpoints:
                if endpoint.platform == "android":
                    out.write(json.dumps({"serial": endpoint.serial, "platform": "android", "address": endpoint.address}) + "\n")
            if fleet.ios:
                serials = [phone.udid for phone in fleet.ios]
                out.write(json.dumps({"platform": "ios", "usbmuxd": served.usbmux_address, "serials": serials}) + "\n")
            out.flush()
            while not stop.wait(0.2):
                pass
            log.info("stopping the simulated fleet")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
