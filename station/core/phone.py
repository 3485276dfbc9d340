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

    async def restore_handout_settings(self) -> HandoutSettings:
        """Put back what Test Harness Mode changed for testing and read it back (Android only)."""
        raise StationError(f"{self.address}: {self.platform} phones have no Test Harness Mode settings to put back")

    async def seal(self) -> None:
        """End this station's own access to the phone (USB debugging off; an iPhone's pairing removed) and
        release the connection. Whether the access really ended is for the target's
        ``lets_station_in`` to see."""
        raise StationError(f"{self.address}: the station cannot seal {self.platform} phones")

    @abstractmethod
    async def close(self) -> None:
        """Release the connection; never raises."""


@dataclass(frozen=True)
class HandoutSetting:
    """One setting Test Harness Mode changes: the value a phone goes out with, and what the phone read back."""

    name: str  # as `settings` names it (namespace.key), or "locksettings.disabled" for the lock screen
    wanted: str | None  # None: deleted, so the platform's default applies
    read_back: str | None

    @property
    def restored(self) -> bool:
        return self.read_back == (self.wanted or "null")


@dataclass(frozen=True)
class HandoutSettings:
    settings: tuple[HandoutSetting, ...]
    test_harness: bool  # persist.sys.test_harness: the phone was set up by Test Harness Mode

    @property
    def restored(self) -> bool:
        return all(setting.restored for setting in self.settings)


class PhoneTarget(Protocol):
    """Where a phone can be reached (a USB device, a TCP address), before connecting."""

    platform: Platform
    address: str

    async def lets_station_in(self) -> bool:
        """Whether this station can still get into the phone, asked without making the phone prompt anyone:
        False once it no longer answers (an Android phone with USB debugging off). Raises DeviceError when
        that cannot be told (an iPhone that does not answer at all)."""
        try:
            phone = await self.connect(lambda _message: None)
        except StationError:
            return False
        await phone.close()
        return True

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
