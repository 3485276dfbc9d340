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
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, TextIO, TypeVar

from station.sim.adbd import SimulatedAdbd
from station.sim.fleet import Fleet, SimAndroidPhone, load_fleet

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
    """Context manager running every phone of ``fleet`` until exit."""

    def __init__(self, fleet: Fleet, *, latency: bool = True) -> None:
        self.fleet = fleet
        self.latency_s = REALISTIC_LATENCY_S if latency else 0.0
        self._daemons: dict[str, SimulatedAdbd] = {}
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
        if self.fleet.ios:
            log.warning("%d iOS device(s) in the fleet are not simulated yet", len(self.fleet.ios))
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
        return [Endpoint(serial, "android", adbd.address) for serial, adbd in self._daemons.items()]

    def phone(self, serial: str) -> SimAndroidPhone:
        return self._daemon(serial).phone

    def unplug(self, serial: str) -> None:
        self._call(self._daemon(serial).unplug())

    def replug(self, serial: str) -> None:
        self._call(self._daemon(serial).replug())

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
        for phone in self.fleet.android:
            adbd = SimulatedAdbd(phone, default_latency_s=self.latency_s)
            await adbd.start()
            self._daemons[phone.serial] = adbd
            log.info("%s listening on %s", phone.serial, adbd.address)

    async def _stop(self) -> None:
        for adbd in self._daemons.values():
            await adbd.close()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)


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
                out.write(json.dumps({"serial": endpoint.serial, "platform": endpoint.platform, "address": endpoint.address}) + "\n")
            out.flush()
            while not stop.wait(0.2):
                pass
            log.info("stopping the simulated fleet")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
