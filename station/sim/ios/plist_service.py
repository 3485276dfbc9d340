"""What every service a simulated iPhone starts through lockdownd shares: one TLS connection carrying
4-byte big-endian length + plist messages, one request at a time, each answered after the phone's
latency (and mangled if the phone's reply_fault strikes this service). Shapes of requests and
replies follow what pymobiledevice3 11.45 and libimobiledevice 1.3 send and expect.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from station.sim.ios.phone import SimIPhone
from station.sim.ios.plist_wire import ConnectionEnded, DeviceStream

log = logging.getLogger(__name__)


class PlistService:
    """Reads one request at a time, waits the phone's latency, and writes the replies."""

    fault_place = ""  # the name a fleet file's reply_fault_in gives this service

    def __init__(self, phone: SimIPhone, latency_s: float, on_unplug: Callable[[], None]) -> None:
        self.phone = phone
        self.default_latency_s = latency_s
        self.on_unplug = on_unplug

    async def serve(self, stream: DeviceStream) -> None:
        while True:
            request = await stream.read_frame()
            if self.phone.unplug_on is not None and self.phone.unplug_on in (request.get("RequestType"), request.get("Command")):
                log.info("%s: unplugged on %s", self.phone.udid, self.phone.unplug_on)
                self.phone.unplug_on = None
                self.on_unplug()
                raise ConnectionEnded
            latency = self.phone.latency_ms / 1000 if self.phone.latency_ms is not None else self.default_latency_s
            await asyncio.sleep(latency)
            replies, done = self.handle(request)
            for reply in replies:
                await stream.write_frame(reply, self.phone.fault_in(self.fault_place))
            if done:
                return

    def handle(self, request: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        """The replies to one request, and whether the service then ends."""
        raise NotImplementedError

