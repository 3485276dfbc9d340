"""Fleet files: the simulated phones a test run or a depot demo serves, described in TOML.

The dataclasses here are the phones' whole mutable state. The shell interpreter (android_phone.py)
and the sync service (adbd.py) change them, so a test can look at a phone after the station worked
on it and see exactly what a real phone would now hold.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, ClassVar, Literal, cast

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from station.core.errors import FleetError
from station.core.tomlfile import KeyProblem, NonNegative, Table, Text, matching, read_toml, shorthand, validate
from station.sim.ios_phone import IosDeviceEntry, SimIPhone

AuthBehaviour = Literal["accept", "pending", "reject"]
AUTH_BEHAVIOURS: tuple[AuthBehaviour, ...] = ("accept", "pending", "reject")
RecoveryChoice = Literal["wipe", "reboot"]
RECOVERY_CHOICES: tuple[RecoveryChoice, ...] = ("wipe", "reboot")

OWNER_FLAGS = "c13"
PROFILE_FLAGS = "1030"
PLAY_STORE = "com.android.vending"
SETTINGS_NAMESPACES = ("system", "secure", "global")
# Where the shell user may write, so where `adb push` succeeds on a real phone.
WRITABLE_DIRS = ("/data/local/tmp", "/sdcard")
DEFAULT_DIRS = frozenset({"/", "/data", "/data/local", "/data/local/tmp", "/sdcard", "/system"})
DEFAULT_SECURITY_PATCH = "2024-01-05"
DEFAULT_INSTALL_TIME = "2024-01-15 09:30:00"
_FIRST_APP_UID = 10100
_PER_USER_UID_RANGE = 100000

_SDK_BY_RELEASE = {
    "16": 36, "15": 35, "14": 34, "13": 33, "12": 31, "11": 30, "10": 29, "9": 28,
    "8.1": 27, "8": 26, "7.1": 25, "7": 24, "6": 23, "5.1": 22, "5": 21,
}
_PACKAGE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")
_SERIAL = re.compile(r"^[A-Za-z0-9._:-]+$")


@dataclass
class SimPackage:
    """One package on a phone. ``users`` maps each user it is installed for to whether it is enabled
    there; a system package (or one uninstalled with -k) stays on the phone with fewer users."""

    id: str
    system: bool
    version_code: int
    version_name: str
    installer: str | None
    apk_path: str
    app_uid: int
    users: dict[int, bool] = field(default_factory=dict)
    first_install_time: str = DEFAULT_INSTALL_TIME
    last_update_time: str = DEFAULT_INSTALL_TIME

    def uid_for(self, user: int) -> int:
        return user * _PER_USER_UID_RANGE + self.app_uid


@dataclass
class SimUser:
    id: int
    name: str
    flags: str


@dataclass
class SimAndroidPhone:
    """The whole state of one simulated Android phone; the single source of truth."""

    serial: str
    manufacturer: str
    model: str
    os_version: str
    sdk: int
    security_patch: str
    users: dict[int, SimUser]
    packages: dict[str, SimPackage]
    properties: dict[str, str]
    settings: dict[str, dict[str, str]]
    files: dict[str, bytes] = field(default_factory=dict)
    directories: set[str] = field(default_factory=lambda: set(DEFAULT_DIRS))
    auth: AuthBehaviour = "accept"
    auth_delay_s: float = 0.0
    latency_ms: float | None = None
    lock_screen: bool = False
    reboot_s: float = 2.0
    sticky_apps: frozenset[str] = frozenset()  # a fault: pm uninstall says Success and keeps these
    in_recovery: RecoveryChoice = "wipe"  # what the operator chooses in the recovery menu
    reboot_requested: str | None = None  # "system" or "recovery", once a command asked for a restart

    def factory_reset(self) -> None:
        """What a wipe leaves: the preinstalled apps for the owner only, no other user, no pushed files.
        (Test Harness Mode keeps the adb keys it was enabled with, so the station reconnects.)"""
        self.users = {0: self.users[0]}
        self.packages = {pid: pkg for pid, pkg in self.packages.items() if pkg.system}
        for package in self.packages.values():
            package.users = {0: True}
        # A reset erases the data partition; what is on the system partition (a su binary) survives it.
        self.files = {path: data for path, data in self.files.items() if path.startswith("/system/")}
        self.directories = set(DEFAULT_DIRS) | {path.rsplit("/", 1)[0] for path in self.files}
        self.settings.setdefault("global", {})["development_settings_enabled"] = "0"
        self.lock_screen = False

    def reset_in_recovery(self) -> None:
        """'Wipe data/factory reset' chosen in recovery: unlike Test Harness Mode it forgets every adb
        key; the operator then turns USB debugging back on to reconnect the phone."""
        self.factory_reset()
        self.settings["global"]["development_settings_enabled"] = "1"

    def installed_for(self, user: int) -> list[SimPackage]:
        return [pkg for pkg in self.packages.values() if user in pkg.users]

    def next_app_uid(self) -> int:
        return max((pkg.app_uid for pkg in self.packages.values()), default=_FIRST_APP_UID - 1) + 1

    def write_file(self, path: str, data: bytes) -> None:
        """Store a file and make its parent folders exist, as `adb push` does."""
        self.files[path] = data
        parent = path.rsplit("/", 1)[0] or "/"
        while parent not in self.directories:
            self.directories.add(parent)
            parent = parent.rsplit("/", 1)[0] or "/"


@dataclass
class Fleet:
    """Every phone of a fleet file. iOS entries stay raw until the iOS simulator reads them."""

    android: list[SimAndroidPhone] = field(default_factory=list)
    ios: list[SimIPhone] = field(default_factory=list)


def user_apk_path(package: str) -> str:
    """A stable path shaped like Android 11+'s randomised /data/app folders."""
    digest = hashlib.sha256(package.encode()).hexdigest()
    return f"/data/app/~~{digest[:22]}==/{package}-{digest[22:44]}==/base.apk"


def system_apk_path(package: str) -> str:
    name = package.rsplit(".", 1)[-1].capitalize()
    return f"/system/app/{name}/{name}.apk"


def sdk_for_release(release: str) -> int | None:
    """The API level of an Android release ("14", "8.1", "12.0.1" ...), or None if unknown."""
    parts = release.split(".")
    for candidate in (".".join(parts[:2]), parts[0]):
        if candidate.endswith(".0"):
            candidate = candidate[:-2]
        if candidate in _SDK_BY_RELEASE:
            return _SDK_BY_RELEASE[candidate]
    return None


def load_fleet(path: str | Path) -> Fleet:
    """Read and check a fleet file; raise FleetError naming the device and key at fault."""
    document = read_toml(path, FleetError)
    fleet = Fleet()
    for device in validate(_FleetFile, document.data, document.path, FleetError).device:
        if isinstance(device, IosDeviceEntry):
            fleet.ios.append(device.to_phone())
        else:
            fleet.android.append(device.to_phone())
    return fleet


_PackageName = Annotated[str, matching(_PACKAGE_ID, "a package name such as com.example.app")]


def _iso_date(value: str) -> str:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD") from None
    if len(value) != 10:
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    return value


def _api_level(value: int) -> int:
    if not 1 <= value <= 99:
        raise ValueError(f"must be an API level 1-99, not {value!r}")
    return value


def _release(value: object) -> object:
    """os_version = 14 is what an operator writes; accept it as the text "14"."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _user_id(value: int) -> int:
    if value <= 0:
        raise ValueError(f"must be a user id > 0 (0 is the owner), not {value!r}")
    return value


def _user_name(value: str) -> str:
    if not value or ":" in value:
        raise ValueError(f"must be a non-empty name without ':', not {value!r}")
    return value


def _flatten(table: object, prefix: str = "") -> object:
    """Dotted keys written unquoted (ro.crypto.state = "x") arrive as nested tables; join them back."""
    if not isinstance(table, dict):
        return table
    flat: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(cast(dict[str, object], _flatten(value, f"{prefix}{key}.")))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _settings_keys(table: object) -> object:
    flat = _flatten(table)
    for dotted in flat if isinstance(flat, dict) else ():
        namespace, _, key = dotted.partition(".")
        if namespace not in SETTINGS_NAMESPACES or not key:
            raise KeyProblem((dotted,), 'must be written "system|secure|global.KEY"')
    return flat


class _AppEntry(Table):
    id: _PackageName
    version_code: Annotated[int, Field(ge=0)] = 1
    version_name: str = "1.0"
    installer: _PackageName | None = None  # unset: the Play Store installed a user app

    def to_package(self, system: bool) -> SimPackage:
        installer = self.installer if "installer" in self.model_fields_set else (None if system else PLAY_STORE)
        return SimPackage(
            id=self.id, system=system, version_code=self.version_code, version_name=self.version_name,
            installer=installer, apk_path=system_apk_path(self.id) if system else user_apk_path(self.id),
            app_uid=0,
        )


_App = Annotated[_AppEntry, shorthand("id", "a package name or a table {id=...}")]


class _UserEntry(Table):
    id: Annotated[int, AfterValidator(_user_id)]
    name: Annotated[str, AfterValidator(_user_name)] | None = None  # unset: "User <id>"
    flags: Annotated[str, matching(r"[0-9a-fA-F]+", 'hexadecimal user flags like "1030"')] = PROFILE_FLAGS
    apps: list[_App] = []

    def to_user(self) -> SimUser:
        return SimUser(self.id, self.name or f"User {self.id}", self.flags)


class _AndroidDevice(Table):
    label: ClassVar[str] = "serial"

    platform: Literal["android"]
    serial: Annotated[str, matching(_SERIAL, "a serial of letters, digits, '.', '_', ':' or '-'")]
    manufacturer: Text
    model: Text
    os_version: Annotated[Text, BeforeValidator(_release)]
    sdk: Annotated[int, AfterValidator(_api_level)] | None = None  # unset: the release's
    security_patch: Annotated[str, AfterValidator(_iso_date)] = DEFAULT_SECURITY_PATCH
    auth: AuthBehaviour = "accept"
    auth_delay_s: NonNegative = 0.0
    latency_ms: NonNegative | None = None
    lock_screen: bool = False
    reboot_s: NonNegative = 2.0
    rooted: bool = False
    in_recovery: RecoveryChoice = "wipe"
    sticky_apps: list[_PackageName] = []
    apps: list[_App] = []
    system_apps: list[_App] = []
    disabled: list[str] = []
    user: list[_UserEntry] = []
    properties: Annotated[dict[str, str], BeforeValidator(_flatten)] = {}
    settings: Annotated[dict[str, str], BeforeValidator(_settings_keys)] = {}

    @model_validator(mode="after")
    def _consistent(self) -> _AndroidDevice:
        if self.sdk is None and sdk_for_release(self.os_version) is None:
            raise KeyProblem(("os_version",), f"unknown Android release {self.os_version!r}: give 'sdk' too")
        self._users_and_packages()
        return self

    def _users_and_packages(self) -> tuple[dict[int, SimUser], dict[str, SimPackage]]:
        """Every user and package of the phone; KeyProblem where two entries contradict each other."""
        users = {0: SimUser(0, "Owner", OWNER_FLAGS)}
        packages: dict[str, SimPackage] = {}
        for key, entries, system in (("system_apps", self.system_apps, True), ("apps", self.apps, False)):
            for position, entry in enumerate(entries):
                if entry.id in packages:
                    raise KeyProblem((key, position), f"{entry.id} is listed more than once in apps/system_apps")
                packages[entry.id] = entry.to_package(system)
                if not system:
                    packages[entry.id].users[0] = True
        for number, table in enumerate(self.user):
            if table.id in users:
                raise KeyProblem(("user", number, "id"), f"user {table.id} is listed twice")
            users[table.id] = table.to_user()
            for position, entry in enumerate(table.apps):
                package = entry.to_package(system=False)
                existing = packages.setdefault(package.id, package)
                if existing.system or (existing.version_code, existing.installer) != (package.version_code, package.installer):
                    raise KeyProblem(("user", number, "apps", position), f"{package.id} is listed twice with different details")
                existing.users[table.id] = True
        for package in packages.values():
            if package.system:
                package.users = {user: True for user in users}
        for position, package_id in enumerate(self.disabled):
            if package_id not in packages or 0 not in packages[package_id].users:
                raise KeyProblem(("disabled", position), f"{package_id!r} is not in apps or system_apps")
            packages[package_id].users[0] = False
        _assign_uids(packages)
        return users, packages

    def to_phone(self) -> SimAndroidPhone:
        users, packages = self._users_and_packages()
        sdk = self.sdk or sdk_for_release(self.os_version) or 0
        phone = SimAndroidPhone(
            serial=self.serial, manufacturer=self.manufacturer, model=self.model, os_version=self.os_version,
            sdk=sdk, security_patch=self.security_patch, users=users, packages=packages,
            properties={**self._properties(sdk), **self.properties},
            settings=self._settings(), auth=self.auth, auth_delay_s=self.auth_delay_s, latency_ms=self.latency_ms,
            lock_screen=self.lock_screen, reboot_s=self.reboot_s, sticky_apps=frozenset(self.sticky_apps),
            in_recovery=self.in_recovery,
        )
        if self.rooted:
            phone.write_file("/system/xbin/su", b"\x7fELF su")
        return phone

    def _properties(self, sdk: int) -> dict[str, str]:
        """What a real phone of this make, model and release reports (the file's properties win)."""
        device = re.sub(r"[^a-z0-9]", "", self.model.lower()) or "generic"
        return {
            "ro.product.manufacturer": self.manufacturer,
            "ro.product.brand": self.manufacturer.lower(),
            "ro.product.model": self.model,
            "ro.product.name": f"{device}user",
            "ro.product.device": device,
            "ro.serialno": self.serial,
            "ro.build.version.release": self.os_version,
            "ro.build.version.sdk": str(sdk),
            "ro.build.version.security_patch": self.security_patch,
            "ro.build.type": "user",
            "ro.build.tags": "release-keys",
            "ro.crypto.state": "encrypted",
            "ro.boot.verifiedbootstate": "green",
            "ro.boot.flash.locked": "1",
            "ro.debuggable": "0",
            "ro.secure": "1",
            "sys.boot_completed": "1",
        }

    def _settings(self) -> dict[str, dict[str, str]]:
        settings: dict[str, dict[str, str]] = {ns: {} for ns in SETTINGS_NAMESPACES}
        settings["global"].update({"adb_enabled": "1", "development_settings_enabled": "1"})
        for dotted, value in self.settings.items():
            namespace, _, key = dotted.partition(".")
            settings[namespace][key] = value
        return settings


def _distinct_serials(devices: list[_AndroidDevice | IosDeviceEntry]) -> list[_AndroidDevice | IosDeviceEntry]:
    first: dict[str, int] = {}
    for number, device in enumerate(devices):
        if device.serial in first:
            raise KeyProblem((number, "serial"), f"duplicate serial: {device.serial!r} is already used by device[{first[device.serial]}]")
        first[device.serial] = number
    return devices


class _FleetFile(Table):
    device: Annotated[
        list[Annotated[_AndroidDevice | IosDeviceEntry, Field(discriminator="platform")]],
        AfterValidator(_distinct_serials),
    ] = []


def _assign_uids(packages: dict[str, SimPackage]) -> None:
    for offset, package in enumerate(packages.values()):
        package.app_uid = _FIRST_APP_UID + offset
