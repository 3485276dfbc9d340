"""Noticing phones come and go: by polling TCP addresses (wireless debugging, simulated phones) and USB."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence

from station.core.errors import UsbUnavailable
from station.core.notices import Notice
from station.core.phone import PhoneTarget, PhoneWatcher

POLL_S = 0.5
PROBE_TIMEOUT_S = 0.5


async def _listening(host: str, port: int) -> bool:
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), PROBE_TIMEOUT_S)
    except (OSError, TimeoutError):
        return False
    writer.close()  # closed before anything else can interrupt the probe
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


class AddressWatcher(PhoneWatcher):
    """Phones at fixed TCP addresses: present while something listens there."""

    def __init__(self, targets: Sequence[PhoneTarget], poll_s: float = POLL_S) -> None:
        self.targets = list(targets)
        self.poll_s = poll_s

    async def watch(self, arrived: Callable[[PhoneTarget], None], left: Callable[[str], None]) -> None:
        present: set[str] = set()
        while True:
            states = await asyncio.gather(*(self._probe(target) for target in self.targets))
            for target, up in zip(self.targets, states, strict=True):
                if up and target.address not in present:
                    present.add(target.address)
                    arrived(target)
                elif not up and target.address in present:
                    present.discard(target.address)
                    left(target.address)
            await asyncio.sleep(self.poll_s)

    @staticmethod
    async def _probe(target: PhoneTarget) -> bool:
        host, _, port = target.address.rpartition(":")
        return await _listening(host, int(port))


class UsbWatcher(PhoneWatcher):
    """Android phones on USB, polled; a PC that cannot do USB reports why once, through ``unavailable``."""

    def __init__(self, find: Callable[[], list[PhoneTarget]], unavailable: Callable[[Notice], None], poll_s: float = 1.0) -> None:
        self.find = find
        self.unavailable = unavailable
        self.poll_s = poll_s

    async def watch(self, arrived: Callable[[PhoneTarget], None], left: Callable[[str], None]) -> None:
        present: dict[str, PhoneTarget] = {}
        said: Notice | None = None
        while True:
            try:
                found = {target.address: target for target in await asyncio.to_thread(self.find)}
            except UsbUnavailable as exc:
                if exc.notice != said:
                    said = exc.notice
                    self.unavailable(said)
                found = {}
            for address, target in found.items():
                if address not in present:
                    arrived(target)
            for address in set(present) - set(found):
                left(address)
            present = found
            await asyncio.sleep(self.poll_s)
