"""A simulated iPhone's whole state, and how a fleet file's ``platform = "ios"`` table describes it.

SimIPhone is the single source of truth: lockdownd and the services (installation_proxy, MCInstall)
change it, so a test can look at the phone after the station worked on it and see what a real
iPhone would now hold.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from station.core.errors import FleetError
from station.sim.ios.plist_wire import REPLY_FAULTS

Pairing = Literal["trust", "deny"] | float
DEFAULT_PRODUCT_TYPE = "iPhone15,2"
DEFAULT_DEVICE_NAME = "iPhone"
DEFAULT_OS_VERSION = "17.5.1"
DEFAULT_APP_VERSION = "1.0"

_DEVICE_KEYS = frozenset({
    "platform", "serial", "product_type", "device_name", "os_version", "build_version", "serial_number",
    "imei", "apps", "system_apps", "profiles", "supervised", "paired", "passcode_locked", "passcode_set", "pairing",
    "latency_ms", "reply_fault", "reply_fault_in",
})
# Where a faulty phone's reply_fault strikes: its usbmuxd Connect replies, lockdownd, or one service.
FAULT_PLACES = ("usbmuxd", "lockdownd", "installation_proxy", "MCInstall")

_APP_KEYS = frozenset({"id", "name", "version", "team_id"})
_PROFILE_KEYS = frozenset({"identifier", "display_name", "payload_types"})
_UDID = re.compile(r"^([0-9A-F]{8}-[0-9A-F]{16}|[0-9a-f]{40})$")
_BUNDLE_ID = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_PRODUCT_TYPE = re.compile(r"^(iPhone|iPad|iPod)\d+,\d+$")
_OS_VERSION = re.compile(r"^\d+(\.\d+){1,2}$")
_TEAM_ID = re.compile(r"^[A-Z0-9]{10}$")
_IMEI = re.compile(r"^\d{15}$")
# Build numbers of real releases, so ideviceinfo output looks like a real phone's.
_KNOWN_BUILDS = {
    "15.8": "19H370", "16.7.8": "20H343", "17.0": "21A329", "17.4.1": "21E237", "17.5.1": "21F90",
    "17.6.1": "21G93", "18.0": "22A3354", "18.1": "22B83", "18.3.2": "22D82", "18.5": "22F76",
}


@dataclass
class SimApp:
    """One app bundle on the phone."""

    bundle_id: str
    name: str
    version: str
    team_id: str | None
    system: bool

    @property
    def container_uuid(self) -> str:
        """Stable per bundle, as the random folder names on a phone stay put between reads."""
        return str(uuid.uuid5(uuid.NAMESPACE_DNS, self.bundle_id)).upper()


@dataclass
class SimProfile:
    """An installed configuration profile, as MCInstall lists it."""

    identifier: str
    display_name: str
    payload_types: list[str]
    uuid: str
    version: int = 1
    description: str = ""
    organization: str = ""
    removal_disallowed: bool = False
    blocked_app_ids: list[str] = field(default_factory=list)


@dataclass
class SimIPhone:
    """The whole state of one simulated iPhone.

    ``paired`` says the depot station's host is trusted; ``trusted_hosts`` maps the HostID of each
    host that paired over the wire (or was pre-paired by the simulated usbmuxd) to its certificate.
    ``pairing`` is what the user does with the "Trust This Computer?" dialog: "trust", "deny", or
    the number of seconds after the first Pair request at which they tap Trust.
    """

    udid: str
    product_type: str
    device_name: str
    os_version: str
    build_version: str
    serial_number: str
    imei: str | None
    apps: dict[str, SimApp]
    system_app_ids: tuple[str, ...]
    profiles: dict[str, SimProfile] = field(default_factory=dict)
    supervised: bool = False
    paired: bool = True
    passcode_locked: bool = False  # locked right now: pairing is refused until it is unlocked
    passcode_set: bool = True  # a passcode exists, so Data Protection encrypts the user's data
    pairing: Pairing = "trust"
    latency_ms: float | None = None
    reply_fault: str | None = None  # a fault: every reply from reply_fault_in is mangled this way
    reply_fault_in: str = "installation_proxy"
    # A test hook, not a fleet key: the cable is pulled when a service receives this request
    # (a RequestType or Command, e.g. "InstallProfile", "EraseDevice"), before the phone acts on it.
    unplug_on: str | None = None
    activated: bool = True
    trusted_hosts: dict[str, bytes] = field(default_factory=dict)
    pair_dialog_shown_at: float | None = None
    erase_count: int = 0

    def fault_in(self, place: str) -> str | None:
        """The fault mangling replies from ``place`` (one of FAULT_PLACES), if any."""
        return self.reply_fault if self.reply_fault_in == place else None

    def user_apps(self) -> list[SimApp]:
        return [app for app in self.apps.values() if not app.system]

    def uninstall(self, bundle_id: str) -> None:
        """Remove an app; KeyError if it is not installed."""
        del self.apps[bundle_id]

    def install_profile(self, profile: SimProfile) -> None:
        """Install or replace (same identifier) a profile."""
        self.profiles[profile.identifier] = profile

    def remove_profile(self, identifier: str) -> None:
        """Remove a profile; KeyError if it is not installed."""
        del self.profiles[identifier]

    def trust_host(self, host_id: str, host_certificate: bytes) -> None:
        self.trusted_hosts[host_id] = host_certificate
        self.paired = True
        self.pair_dialog_shown_at = None

    def pairing_answer(self, now: float | None = None) -> Literal["trust", "deny", "pending"]:
        """What the Trust dialog says right now; the first call shows the dialog."""
        if self.pairing in ("trust", "deny"):
            return self.pairing  # type: ignore[return-value]
        now = time.monotonic() if now is None else now
        if self.pair_dialog_shown_at is None:
            self.pair_dialog_shown_at = now
        return "trust" if now - self.pair_dialog_shown_at >= float(self.pairing) else "pending"

    def erase(self) -> None:
        """Erase All Content and Settings: only the built-in apps stay, nothing is trusted any more.

        The passcode goes with the data; supervision goes too (it comes back only through
        re-enrolment, which the simulator does not do). The phone waits in Setup Assistant.
        """
        self.apps = {bundle_id: app for bundle_id, app in self.apps.items() if app.system}
        self.profiles.clear()
        self.trusted_hosts.clear()
        self.paired = False
        self.passcode_locked = False
        self.passcode_set = False
        self.supervised = False
        self.activated = False
        self.pair_dialog_shown_at = None
        self.erase_count += 1


def team_id_for(bundle_id: str) -> str:
    """A stable, realistic-looking team id shared by every app of one publisher (com.tencent.*)."""
    publisher = ".".join(bundle_id.split(".")[:2]).lower()
    digest = hashlib.sha256(publisher.encode()).digest()
    return base64.b32encode(digest).decode()[:10]


def default_serial_number(udid: str) -> str:
    """A 10-character hardware serial (the modern randomised format) derived from the UDID."""
    digest = hashlib.sha256(("serial:" + udid).encode()).digest()
    alphabet = "BCDFGHJKLMNPQRTVWXYZ0123456789"
    return "".join(alphabet[byte % len(alphabet)] for byte in digest[:10])


def default_build_version(os_version: str) -> str:
    if os_version in _KNOWN_BUILDS:
        return _KNOWN_BUILDS[os_version]
    major = int(os_version.split(".", maxsplit=1)[0])
    letter = chr(ord("A") + min(len(os_version.split(".")) - 1, 25))
    return f"{major + 4}{letter}{100 + (sum(map(ord, os_version)) % 800)}"


def parse_ios_device(entry: dict[str, Any], where: str, path: str) -> SimIPhone:
    """Check one fleet-file [[device]] table with platform = "ios" and build its phone.

    ``where`` names the table in error messages (e.g. "device[3] (serial ...)"); every error is a
    FleetError naming the key at fault.
    """
    return _IosDeviceParser(entry, where, path).parse()


class _IosDeviceParser:
    def __init__(self, raw: dict[str, Any], where: str, path: str) -> None:
        self.raw = raw
        self.where = where
        self.path = path

    def fail(self, key: str, what: str) -> FleetError:
        return FleetError(self.path, f"{self.where}: key {key!r}", what)

    def text(self, key: str, default: str | None, pattern: re.Pattern[str] | None = None, shape: str = "") -> str:
        value = self.raw.get(key, default)
        if value is None:
            raise self.fail(key, "missing")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, not {value!r}")
        if pattern is not None and not pattern.match(value):
            raise self.fail(key, f"{value!r} is not {shape}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {value!r}")
        return value

    def parse(self) -> SimIPhone:
        unknown = sorted(set(self.raw) - _DEVICE_KEYS)
        if unknown:
            raise self.fail(unknown[0], f"unknown key (known keys: {', '.join(sorted(_DEVICE_KEYS))})")
        if self.raw.get("platform") != "ios":
            raise self.fail("platform", f"must be \"ios\", not {self.raw.get('platform')!r}")
        udid = self.text("serial", None, _UDID, "a UDID like 00008110-001A2B3C4D5E801E (or 40 hex digits)")
        os_version = self.text("os_version", DEFAULT_OS_VERSION, _OS_VERSION, "an iOS version like 17.5.1")
        if int(os_version.split(".")[0]) < 7:
            raise self.fail("os_version", f"{os_version} is too old: the simulator speaks the iOS 7+ protocol")
        imei = self.raw.get("imei")
        if imei is not None and (not isinstance(imei, str) or not _IMEI.match(imei)):
            raise self.fail("imei", f"must be 15 digits written as a string, not {imei!r}")
        system_apps = self._apps("system_apps", system=True)
        apps = {app.bundle_id: app for app in system_apps}
        for app in self._apps("apps", system=False):
            if app.bundle_id in apps:
                raise self.fail("apps", f"{app.bundle_id} is listed more than once in apps/system_apps")
            apps[app.bundle_id] = app
        latency = self.raw.get("latency_ms")
        if latency is not None and (isinstance(latency, bool) or not isinstance(latency, (int, float)) or latency < 0):
            raise self.fail("latency_ms", f"must be a number of milliseconds >= 0, not {latency!r}")
        return SimIPhone(
            udid=udid,
            product_type=self.text("product_type", DEFAULT_PRODUCT_TYPE, _PRODUCT_TYPE, "a product type like iPhone15,2"),
            device_name=self.text("device_name", DEFAULT_DEVICE_NAME),
            os_version=os_version,
            build_version=self.text("build_version", default_build_version(os_version)),
            serial_number=self.text("serial_number", default_serial_number(udid)),
            imei=imei,
            apps=apps,
            system_app_ids=tuple(app.bundle_id for app in system_apps),
            profiles={profile.identifier: profile for profile in self._profiles()},
            supervised=self.flag("supervised", False),
            paired=self.flag("paired", True),
            passcode_locked=self.flag("passcode_locked", False),
            passcode_set=self.flag("passcode_set", True),
            pairing=self._pairing(),
            latency_ms=None if latency is None else float(latency),
            reply_fault=self._choice("reply_fault", None, REPLY_FAULTS),
            reply_fault_in=str(self._choice("reply_fault_in", "installation_proxy", FAULT_PLACES)),
        )

    def _choice(self, key: str, default: str | None, allowed: tuple[str, ...]) -> str | None:
        value = self.raw.get(key, default)
        if value is not default and value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}, not {value!r}")
        return value  # type: ignore[no-any-return]

    def _pairing(self) -> Pairing:
        value = self.raw.get("pairing", "trust")
        if value in ("trust", "deny"):
            return value  # type: ignore[no-any-return]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return float(value)
        raise self.fail("pairing", f"must be \"trust\", \"deny\" or seconds until the user taps Trust, not {value!r}")

    def _apps(self, key: str, *, system: bool) -> list[SimApp]:
        entries = self.raw.get(key, [])
        if not isinstance(entries, list):
            raise self.fail(key, f"must be a list of bundle ids or tables {{id=...}}, not {entries!r}")
        apps = [self._app(entry, system, f"{key}[{number}]") for number, entry in enumerate(entries, start=1)]
        seen: set[str] = set()
        for app in apps:
            if app.bundle_id in seen:
                raise self.fail(key, f"{app.bundle_id} is listed more than once")
            seen.add(app.bundle_id)
        return apps

    def _app(self, entry: Any, system: bool, key: str) -> SimApp:
        if isinstance(entry, str):
            entry = {"id": entry}
        if not isinstance(entry, dict):
            raise self.fail(key, f"must be a bundle id or a table {{id=...}}, not {entry!r}")
        unknown = sorted(set(entry) - _APP_KEYS)
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"unknown key (known keys: {', '.join(sorted(_APP_KEYS))})")
        bundle_id = entry.get("id")
        if not isinstance(bundle_id, str) or not _BUNDLE_ID.match(bundle_id):
            raise self.fail(f"{key}.id", f"{bundle_id!r} is not a bundle id like com.example.app")
        name = entry.get("name", bundle_id.rsplit(".", 1)[-1])
        if not isinstance(name, str) or not name:
            raise self.fail(f"{key}.name", f"must be a non-empty string, not {name!r}")
        version = entry.get("version", DEFAULT_APP_VERSION)
        if not isinstance(version, str) or not version:
            raise self.fail(f"{key}.version", f"must be a version string like \"8.0.50\", not {version!r}")
        team_id = entry.get("team_id", None if system else team_id_for(bundle_id))
        if team_id is not None and (not isinstance(team_id, str) or not _TEAM_ID.match(team_id)):
            raise self.fail(f"{key}.team_id", f"must be 10 capital letters or digits, not {team_id!r}")
        return SimApp(bundle_id=bundle_id, name=name, version=version, team_id=team_id, system=system)

    def _profiles(self) -> list[SimProfile]:
        entries = self.raw.get("profiles", [])
        if not isinstance(entries, list):
            raise self.fail("profiles", f"must be a list of tables {{identifier=...}}, not {entries!r}")
        profiles: dict[str, SimProfile] = {}
        for number, entry in enumerate(entries, start=1):
            key = f"profiles[{number}]"
            if not isinstance(entry, dict):
                raise self.fail(key, f"must be a table {{identifier=..., display_name=...}}, not {entry!r}")
            unknown = sorted(set(entry) - _PROFILE_KEYS)
            if unknown:
                raise self.fail(f"{key}.{unknown[0]}", f"unknown key (known keys: {', '.join(sorted(_PROFILE_KEYS))})")
            identifier = entry.get("identifier")
            if not isinstance(identifier, str) or not identifier:
                raise self.fail(f"{key}.identifier", f"must be a non-empty string, not {identifier!r}")
            if identifier in profiles:
                raise self.fail(f"{key}.identifier", f"{identifier} is listed twice")
            display_name = entry.get("display_name", identifier)
            if not isinstance(display_name, str):
                raise self.fail(f"{key}.display_name", f"must be a string, not {display_name!r}")
            payload_types = entry.get("payload_types", [])
            if not isinstance(payload_types, list) or not all(isinstance(t, str) for t in payload_types):
                raise self.fail(f"{key}.payload_types", f"must be a list of strings, not {payload_types!r}")
            profiles[identifier] = SimProfile(
                identifier=identifier, display_name=display_name, payload_types=list(payload_types),
                uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, identifier)).upper(),
            )
        return list(profiles.values())
