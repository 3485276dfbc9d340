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
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, PlainValidator, model_validator

from station.core.errors import FleetError
from station.core.tomlfile import KeyProblem, NonNegative, Table, Text, matching, one_of, shorthand, unique, validate
from station.sim.battery import BatteryEntry, SimBattery
from station.sim.ios.plist_wire import REPLY_FAULTS

Pairing = Literal["trust", "deny"] | float
DEFAULT_PRODUCT_TYPE = "iPhone15,2"
DEFAULT_DEVICE_NAME = "iPhone"
DEFAULT_OS_VERSION = "17.5.1"
DEFAULT_APP_VERSION = "1.0"

# Where a faulty phone's reply_fault strikes: its usbmuxd Connect replies, lockdownd, or one service.
FAULT_PLACES = ("usbmuxd", "lockdownd", "installation_proxy", "MCInstall")

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


@dataclass(frozen=True)
class SimMdm:
    """An MDM enrolment through Apple's device enrolment: the phone's cloud configuration names the
    organisation and its server, and an erased phone enrols again in Setup Assistant."""

    organization: str
    server: str
    unremovable: bool = True


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
    find_my: bool = False  # tied to an Apple ID with Find My on: lockdown's com.apple.fmip IsAssociated
    mdm: SimMdm | None = None
    battery: SimBattery = field(default_factory=SimBattery)
    # Erased while Find My was on: Setup Assistant stops at Activation Lock and asks for the Apple ID.
    activation_locked: bool = False

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
        if self.pairing == "trust" or self.pairing == "deny":  # noqa: PLR1714 - two comparisons let mypy narrow it to the Literal
            return self.pairing
        now = time.monotonic() if now is None else now
        if self.pair_dialog_shown_at is None:
            self.pair_dialog_shown_at = now
        return "trust" if now - self.pair_dialog_shown_at >= float(self.pairing) else "pending"

    def erase(self) -> None:
        """Erase All Content and Settings: only the built-in apps stay, nothing is trusted any more.

        The passcode goes with the data; supervision goes too (it comes back only through
        re-enrolment, which the simulator does not do). The phone waits in Setup Assistant. Find My is
        kept by Apple's activation server, not on the phone: an iPhone erased with it on still answers
        IsAssociated and stops at Activation Lock until its Apple ID is given.
        """
        self.activation_locked = self.activation_locked or self.find_my
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


def parse_ios_device(entry: dict[str, object], where: str, path: str) -> SimIPhone:
    """Check one fleet-file [[device]] table with platform = "ios" and build its phone.

    ``where`` names the table in error messages (e.g. "device[3] (00008110-...)"); every error is a
    FleetError naming the key at fault.
    """
    return validate(IosDeviceEntry, entry, path, FleetError, within=where).to_phone()


def _ios_7_or_later(version: str) -> str:
    if int(version.split(".", maxsplit=1)[0]) < 7:
        raise ValueError(f"{version} is too old: the simulator speaks the iOS 7+ protocol")
    return version


def _pairing(value: object) -> Pairing:
    if value == "trust" or value == "deny":  # noqa: PLR1714 - two comparisons let mypy narrow value to the Literal
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise ValueError(f"must be \"trust\", \"deny\" or seconds until the user taps Trust, not {value!r}")


_BundleId = Annotated[str, matching(_BUNDLE_ID, "a bundle id like com.example.app")]


class _IosAppEntry(Table):
    id: _BundleId
    name: Text | None = None  # unset: the last part of the bundle id
    version: Text = DEFAULT_APP_VERSION
    team_id: Annotated[str, matching(_TEAM_ID, "10 capital letters or digits")] | None = None  # unset: the publisher's

    def to_app(self, system: bool) -> SimApp:
        team_id = self.team_id if "team_id" in self.model_fields_set else (None if system else team_id_for(self.id))
        return SimApp(bundle_id=self.id, name=self.name or self.id.rsplit(".", 1)[-1], version=self.version,
                      team_id=team_id, system=system)


_App = Annotated[_IosAppEntry, shorthand("id", "a bundle id or a table {id=...}")]


class _ProfileEntry(Table):
    identifier: Text
    display_name: str | None = None  # unset: the identifier
    payload_types: list[str] = []

    def to_profile(self) -> SimProfile:
        return SimProfile(
            identifier=self.identifier, display_name=self.identifier if self.display_name is None else self.display_name,
            payload_types=list(self.payload_types), uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, self.identifier)).upper(),
        )


class _MdmEntry(Table):
    """``mdm = { organization = "Example Corp", server = "https://mdm.example.com/enroll", unremovable = true }``."""

    organization: Text
    server: Annotated[str, matching(r"https://\S+", "an https:// address")]
    unremovable: bool = True


def _distinct_profiles(profiles: list[_ProfileEntry]) -> list[_ProfileEntry]:
    unique([profile.identifier for profile in profiles], "listed twice", key="identifier")
    return profiles


class IosDeviceEntry(Table):
    """A fleet file's [[device]] table with platform = "ios"."""

    label: ClassVar[str] = "serial"

    platform: Literal["ios"]
    serial: Annotated[str, matching(_UDID, "a UDID like 00008110-001A2B3C4D5E801E (or 40 hex digits)")]
    product_type: Annotated[str, matching(_PRODUCT_TYPE, "a product type like iPhone15,2")] = DEFAULT_PRODUCT_TYPE
    device_name: Text = DEFAULT_DEVICE_NAME
    os_version: Annotated[str, matching(_OS_VERSION, "an iOS version like 17.5.1"), AfterValidator(_ios_7_or_later)] = DEFAULT_OS_VERSION
    build_version: Text | None = None  # unset: the release's
    serial_number: Text | None = None  # unset: derived from the UDID
    imei: Annotated[str, matching(_IMEI, "15 digits")] | None = None
    apps: list[_App] = []
    system_apps: list[_App] = []
    profiles: Annotated[list[_ProfileEntry], AfterValidator(_distinct_profiles)] = []
    supervised: bool = False
    paired: bool = True
    passcode_locked: bool = False
    passcode_set: bool = True
    pairing: Annotated[Pairing, PlainValidator(_pairing)] = "trust"
    latency_ms: NonNegative | None = None
    reply_fault: Annotated[str, one_of(REPLY_FAULTS)] | None = None
    reply_fault_in: Annotated[str, one_of(FAULT_PLACES)] = "installation_proxy"
    find_my: bool = False
    mdm: _MdmEntry | None = None
    battery: BatteryEntry = BatteryEntry()

    @model_validator(mode="after")
    def _apps_listed_once(self) -> IosDeviceEntry:
        seen: set[str] = set()
        for key, entries in (("system_apps", self.system_apps), ("apps", self.apps)):
            for position, entry in enumerate(entries):
                if entry.id in seen:
                    raise KeyProblem((key, position), f"{entry.id} is listed more than once in apps/system_apps")
                seen.add(entry.id)
        return self

    def to_phone(self) -> SimIPhone:
        system_apps = [entry.to_app(system=True) for entry in self.system_apps]
        apps = system_apps + [entry.to_app(system=False) for entry in self.apps]
        return SimIPhone(
            udid=self.serial, product_type=self.product_type, device_name=self.device_name, os_version=self.os_version,
            build_version=self.build_version or default_build_version(self.os_version),
            serial_number=self.serial_number or default_serial_number(self.serial), imei=self.imei,
            apps={app.bundle_id: app for app in apps}, system_app_ids=tuple(app.bundle_id for app in system_apps),
            profiles={profile.identifier: profile.to_profile() for profile in self.profiles},
            supervised=self.supervised, paired=self.paired, passcode_locked=self.passcode_locked,
            passcode_set=self.passcode_set, pairing=self.pairing,
            latency_ms=None if self.latency_ms is None else float(self.latency_ms),
            reply_fault=self.reply_fault, reply_fault_in=self.reply_fault_in, find_my=self.find_my,
            mdm=None if self.mdm is None else SimMdm(self.mdm.organization, self.mdm.server, self.mdm.unremovable),
            battery=self.battery.to_battery(),
        )
