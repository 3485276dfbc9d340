"""The one interface every platform backend implements, so the engine treats all phones alike.

The engine (station.workbench) only knows these Protocols; station/devices/ implements them with
adb-shell and pymobiledevice3, which are imported nowhere else. The backends subclass them explicitly,
to inherit the refusals of what their platform cannot do, and tests' fakes do the same.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from station.core.errors import StationError
from station.core.models import DeviceFacts, DeviceIdentity, InstalledApp, Inventory, Platform, RemovalAttempt


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed for each kind of call to a phone. ``approval`` is how long the operator has to
    tap Allow (Android) or Trust (iPhone) before the station gives up and says so."""

    connect: float = 10.0
    approval: float = 30.0
    command: float = 20.0
    uninstall: float = 60.0


class Phone(Protocol):
    """An open connection to one phone. Every method has its own timeout and raises DeviceError."""

    platform: Platform
    address: str

    @abstractmethod
    async def identity(self) -> DeviceIdentity:
        """Read who the phone is, fresh from the phone."""

    @abstractmethod
    async def inventory(self) -> Inventory:
        """Read everything installed, for every user of the phone, fresh from the phone."""

    @abstractmethod
    async def facts(self, inventory: Inventory) -> DeviceFacts:
        """Read what the compliance checks need (encryption, boot state, root signs, settings, profiles)."""

    @abstractmethod
    async def uninstall(self, app_id: str, apps: list[InstalledApp]) -> list[RemovalAttempt]:
        """Remove ``app_id`` wherever ``apps`` (its installed copies, one per user) say it is."""

    @abstractmethod
    async def wipe(self) -> str:
        """Start a factory reset; returns what the operator should expect next. Raises DeviceError
        (WipeRefused when the phone will not do it, with what to do instead)."""

    async def install_app(self, package_file: str) -> str:
        """Install an app from a package file on this PC; returns what the phone said (Android only)."""
        raise StationError(f"{self.address}: the station installs apps only on Android phones")

    async def put_setting(self, namespace: str, key: str, value: str) -> None:
        """Change one system setting (Android only)."""
        raise StationError(f"{self.address}: the station changes settings only on Android phones")

    async def reboot_to_recovery(self) -> None:
        """Restart into the recovery menu, for a factory reset chosen by hand (Android only)."""
        raise StationError(f"{self.address}: {self.platform} phones have no recovery menu the station can open")

    async def install_profile(self, payload: bytes) -> None:
        """Install a configuration profile (iPhones only)."""
        raise StationError(f"{self.address}: {self.platform} phones take no configuration profiles")

    @abstractmethod
    async def close(self) -> None:
        """Release the connection; never raises."""


class PhoneTarget(Protocol):
    """Where a phone can be reached (a USB device, a TCP address), before connecting."""

    platform: Platform
    address: str

    @abstractmethod
    async def connect(self, on_needs_approval: Callable[[str], None]) -> Phone:
        """Open a connection. ``on_needs_approval`` is called with an operator message when the phone
        shows its Allow/Trust prompt, so the operator can be told while the station waits."""


class PhoneWatcher(Protocol):
    """Reports phones arriving and leaving (plugged in, unplugged) until cancelled."""

    @abstractmethod
    async def watch(self, arrived: Callable[[PhoneTarget], None], left: Callable[[str], None]) -> None:
        """Call ``arrived`` with each new phone's target and ``left`` with a gone phone's address.
        Runs until cancelled; never raises for a phone's own trouble."""
