"""Fleet files: the simulated phones a test run or a depot demo serves, described in TOML.

Loading checks every key and builds each phone's state: SimAndroidPhone (android/phone.py) for an
Android table, SimIPhone (ios/phone.py, which parses its own tables) for an iOS one.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, ClassVar, Literal, cast

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from station.core.errors import FleetError
from station.core.tomlfile import KeyProblem, NonNegative, Table, Text, matching, read_toml, shorthand, validate
from station.sim.android.phone import (
    SETTINGS_NAMESPACES,
    AuthBehaviour,
    RecoveryChoice,
    SimAccount,
    SimAndroidPhone,
    SimPackage,
    SimUser,
    assign_uids,
    sdk_for_release,
    system_apk_path,
    user_apk_path,
)
from station.sim.battery import BatteryEntry
from station.sim.ios.phone import IosDeviceEntry, SimIPhone

OWNER_FLAGS = "c13"  # user 0 on Android 11-13 (FLAG_FULL | FLAG_SYSTEM | FLAG_ADMIN | FLAG_PRIMARY | FLAG_INITIALIZED)


def owner_flags(sdk: int) -> str:
    """User 0's UserInfo flags as `pm list users` prints them: 13 up to Android 10 (flutter/flutter#58815),
    c13 on Android 11-13 (ibilux/MobyDroid#18), 4c13 once Android 14 adds FLAG_MAIN (cocool97/adb_client#99,
    zacharee/InstallWithOptions#133); see tests/data/android/pm-list-users-*.txt."""
    if sdk and sdk <= 29:
        return "13"
    return "4c13" if sdk >= 34 else OWNER_FLAGS
PROFILE_FLAGS = "1030"
PLAY_STORE = "com.android.vending"
DEFAULT_SECURITY_PATCH = "2024-01-05"
_PACKAGE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")
_SERIAL = re.compile(r"^[A-Za-z0-9._:-]+$")


@dataclass
class Fleet:
    """Every phone of a fleet file. iOS entries stay raw until the iOS simulator reads them."""

    android: list[SimAndroidPhone] = field(default_factory=list)
    ios: list[SimIPhone] = field(default_factory=list)


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


class _AndroidAppEntry(Table):
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


_App = Annotated[_AndroidAppEntry, shorthand("id", "a package name or a table {id=...}")]


class _AccountEntry(Table):
    """``{ type = "com.google", name = "user@example.com", user = 0 }``: an account signed in on the phone."""

    type: Annotated[str, matching(r"[A-Za-z0-9_.-]+", "an account type such as com.google")]
    name: Text
    user: Annotated[int, Field(ge=0)] = 0

    def to_account(self) -> SimAccount:
        return SimAccount(self.type, self.name, self.user)


_COMPONENT = r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+/[A-Za-z0-9_.$]+"


class _UserEntry(Table):
    id: Annotated[int, AfterValidator(_user_id)]
    name: Annotated[str, AfterValidator(_user_name)] | None = None  # unset: "User <id>"
    flags: Annotated[str, matching(r"[0-9a-fA-F]+", 'hexadecimal user flags like "1030"')] = PROFILE_FLAGS
    apps: list[_App] = []
    shell_access: bool = True

    def to_user(self) -> SimUser:
        return SimUser(self.id, self.name or f"User {self.id}", self.flags, self.shell_access)


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
    accounts: list[_AccountEntry] = []
    device_owner: Annotated[str, matching(_COMPONENT, "an admin component such as com.example.mdm/.AdminReceiver")] | None = None
    battery: BatteryEntry = BatteryEntry()

    @model_validator(mode="after")
    def _consistent(self) -> _AndroidDevice:
        if self.sdk is None and sdk_for_release(self.os_version) is None:
            raise KeyProblem(("os_version",), f"unknown Android release {self.os_version!r}: give 'sdk' too")
        users = {0} | {table.id for table in self.user}
        for position, account in enumerate(self.accounts):
            if account.user not in users:
                raise KeyProblem(("accounts", position, "user"), f"user {account.user} is not one of the phone's users")
        self._users_and_packages()
        return self

    def _users_and_packages(self) -> tuple[dict[int, SimUser], dict[str, SimPackage]]:
        """Every user and package of the phone; KeyProblem where two entries contradict each other."""
        users = {0: SimUser(0, "Owner", owner_flags(self.sdk or sdk_for_release(self.os_version) or 0))}
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
                package.users = dict.fromkeys(users, True)
        for position, package_id in enumerate(self.disabled):
            if package_id not in packages or 0 not in packages[package_id].users:
                raise KeyProblem(("disabled", position), f"{package_id!r} is not in apps or system_apps")
            packages[package_id].users[0] = False
        assign_uids(packages)
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
            in_recovery=self.in_recovery, accounts=[account.to_account() for account in self.accounts],
            device_owner=self.device_owner, battery=self.battery.to_battery(),
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
            "ro.boot.serialno": self.serial,  # every real getprop has both (tests/data/android/getprop-*.txt)
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
