"""Fleet files: the simulated phones a test run or a depot demo serves, described in TOML.

Loading checks every key and builds each phone's state: SimAndroidPhone (android/phone.py) for an
Android table, SimIPhone (ios/phone.py, which parses its own tables) for an iOS one.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from station.core.errors import FleetError
from station.sim.android.phone import (
    AUTH_BEHAVIOURS,
    RECOVERY_CHOICES,
    SETTINGS_NAMESPACES,
    AuthBehaviour,
    RecoveryChoice,
    SimAndroidPhone,
    SimPackage,
    SimUser,
    assign_uids,
    sdk_for_release,
    system_apk_path,
    user_apk_path,
)
from station.sim.ios.phone import SimIPhone, parse_ios_device

OWNER_FLAGS = "c13"
PROFILE_FLAGS = "1030"
PLAY_STORE = "com.android.vending"
DEFAULT_SECURITY_PATCH = "2024-01-05"
_PACKAGE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")
_SERIAL = re.compile(r"^[A-Za-z0-9._:-]+$")
_DEVICE_KEYS = frozenset({
    "platform", "serial", "manufacturer", "model", "os_version", "sdk", "security_patch", "apps",
    "system_apps", "disabled", "user", "properties", "settings", "auth", "auth_delay_s", "latency_ms",
    "lock_screen", "reboot_s", "sticky_apps", "rooted", "in_recovery",
})
_USER_KEYS = frozenset({"id", "name", "apps", "flags"})
_APP_KEYS = frozenset({"id", "version_code", "version_name", "installer"})


@dataclass
class Fleet:
    """Every phone of a fleet file. iOS entries stay raw until the iOS simulator reads them."""

    android: list[SimAndroidPhone] = field(default_factory=list)
    ios: list[SimIPhone] = field(default_factory=list)


def load_fleet(path: str | Path) -> Fleet:
    """Read and check a fleet file; raise FleetError naming the device and key at fault."""
    path_str = str(path)
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise FleetError(path_str, "", "file not found") from None
    except OSError as exc:
        raise FleetError(path_str, "", f"cannot be read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FleetError(path_str, "", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise FleetError(path_str, "", "not valid TOML: the file is not UTF-8 text") from None
    return _FleetParser(path_str).parse(document)


T = TypeVar("T")
_REQUIRED = object()


class _FleetParser:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, what: str) -> FleetError:
        return FleetError(self.path, where, what)

    def parse(self, document: dict[str, Any]) -> Fleet:
        unknown = sorted(set(document) - {"device"})
        if unknown:
            raise self.fail(f"key {unknown[0]!r}", "unknown key (only [[device]] tables are allowed)")
        devices = document.get("device", [])
        if not isinstance(devices, list) or not all(isinstance(d, dict) for d in devices):
            raise self.fail("key 'device'", "must be written as [[device]] tables")
        fleet = Fleet()
        seen: dict[str, str] = {}
        for number, raw in enumerate(devices, start=1):
            label = f"device[{number}]"
            serial = raw.get("serial")
            if isinstance(serial, str):
                label += f" (serial {serial})"
                if serial in seen:
                    raise self.fail(f"{label}: key 'serial'", f"duplicate serial, already used by {seen[serial]}")
                seen[serial] = label
            platform = raw.get("platform")
            if platform == "ios":
                fleet.ios.append(parse_ios_device(raw, label, self.path))
            elif platform == "android":
                fleet.android.append(_DeviceParser(self, label, raw).parse())
            elif platform is None:
                raise self.fail(f"{label}: key 'platform'", "missing (write \"android\" or \"ios\")")
            else:
                raise self.fail(f"{label}: key 'platform'", f"{platform!r} is not \"android\" or \"ios\"")
        return fleet


class _DeviceParser:
    """Checks one [[device]] table; every error names the device and the key."""

    def __init__(self, fleet: _FleetParser, label: str, raw: dict[str, Any]) -> None:
        self.fleet = fleet
        self.label = label
        self.raw = raw

    def fail(self, key: str, what: str) -> FleetError:
        return self.fleet.fail(f"{self.label}: key {key!r}", what)

    def get(self, key: str, kind: type[T], default: Any = _REQUIRED, *, check: Callable[[T], str | None] | None = None) -> Any:
        """The value of ``key``, of type ``kind``, or ``default`` when absent (required if no default)."""
        if key not in self.raw:
            if default is _REQUIRED:
                raise self.fail(key, "missing")
            return default
        value = self.raw[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"must be {_KIND_NAMES.get(kind, kind.__name__)}, not {value!r}")
        problem = check(value) if check else None
        if problem:
            raise self.fail(key, problem)
        return value

    def parse(self) -> SimAndroidPhone:
        unknown = sorted(set(self.raw) - _DEVICE_KEYS)
        if unknown:
            raise self.fail(unknown[0], f"unknown key (known keys: {', '.join(sorted(_DEVICE_KEYS))})")
        serial = self.get("serial", str, check=lambda s: None if _SERIAL.match(s) else "must be letters, digits, '.', '_', ':' or '-'")
        manufacturer = self.get("manufacturer", str, check=_non_empty)
        model = self.get("model", str, check=_non_empty)
        os_version = self._os_version()
        derived_sdk = sdk_for_release(os_version)
        if "sdk" not in self.raw and derived_sdk is None:
            raise self.fail("os_version", f"unknown Android release {os_version!r}: give 'sdk' too")
        sdk: int = self.get("sdk", int, derived_sdk, check=lambda n: None if 1 <= n <= 99 else "must be an API level 1-99")
        security_patch = self.get("security_patch", str, DEFAULT_SECURITY_PATCH, check=_iso_date)
        auth = self.get("auth", str, "accept", check=lambda a: None if a in AUTH_BEHAVIOURS else "must be one of accept, pending, reject")
        auth_delay_s = self.get("auth_delay_s", float, 0.0, check=_not_negative)
        latency_ms = self.get("latency_ms", float, None, check=_not_negative)
        lock_screen = self.get("lock_screen", bool, False)
        reboot_s = self.get("reboot_s", float, 2.0, check=_not_negative)
        rooted = self.get("rooted", bool, False)
        in_recovery = self.get("in_recovery", str, "wipe",
                               check=lambda c: None if c in RECOVERY_CHOICES else "must be one of " + ", ".join(RECOVERY_CHOICES))
        sticky = self.get("sticky_apps", list, [])
        for number, package_id in enumerate(sticky, start=1):
            if not isinstance(package_id, str) or not _PACKAGE_ID.match(package_id):
                raise self.fail(f"sticky_apps[{number}]", f"{package_id!r} is not a package name")

        users = {0: SimUser(0, "Owner", OWNER_FLAGS)}
        packages: dict[str, SimPackage] = {}
        for package in self._apps(self.raw.get("system_apps", []), "system_apps", system=True):
            self._add(packages, package, "system_apps")
        for package in self._apps(self.raw.get("apps", []), "apps", system=False):
            package.users[0] = True
            self._add(packages, package, "apps")
        for number, user, apps in self._user_tables():
            users[user.id] = user
            for package in apps:
                existing = packages.get(package.id)
                if existing is None:
                    packages[package.id] = package
                elif existing.system or (existing.version_code, existing.installer) != (package.version_code, package.installer):
                    raise self.fail(f"user[{number}].apps", f"{package.id} is listed twice with different details")
                packages[package.id].users[user.id] = True
        for package in packages.values():
            if package.system:
                package.users = dict.fromkeys(users, True)
        for number, package_id in enumerate(self.get("disabled", list, []), start=1):
            if not isinstance(package_id, str) or package_id not in packages or 0 not in packages[package_id].users:
                raise self.fail(f"disabled[{number}]", f"{package_id!r} is not in apps or system_apps")
            packages[package_id].users[0] = False
        assign_uids(packages)

        phone = SimAndroidPhone(
            serial=serial, manufacturer=manufacturer, model=model, os_version=os_version, sdk=sdk,
            security_patch=security_patch, users=users, packages=packages,
            properties=self._properties(serial, manufacturer, model, os_version, sdk, security_patch),
            settings=self._settings(), auth=cast(AuthBehaviour, auth), auth_delay_s=auth_delay_s,
            latency_ms=latency_ms, lock_screen=lock_screen, reboot_s=reboot_s, sticky_apps=frozenset(sticky),
            in_recovery=cast(RecoveryChoice, in_recovery),
        )
        if rooted:
            phone.write_file("/system/xbin/su", b"\x7fELF su")
        return phone

    def _os_version(self) -> str:
        value = self.raw.get("os_version")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # os_version = 14 is what an operator writes; accept it
        release: str = self.get("os_version", str, check=_non_empty)
        return release

    def _add(self, packages: dict[str, SimPackage], package: SimPackage, key: str) -> None:
        if package.id in packages:
            raise self.fail(key, f"{package.id} is listed more than once in apps/system_apps")
        packages[package.id] = package

    def _apps(self, entries: Any, label: str, *, system: bool) -> list[SimPackage]:
        if not isinstance(entries, list):
            raise self.fail(label, f"must be a list of packages, not {entries!r}")
        return [self._app(entry, system, f"{label}[{n}]") for n, entry in enumerate(entries, start=1)]

    def _app(self, entry: Any, system: bool, key: str) -> SimPackage:
        if isinstance(entry, str):
            entry = {"id": entry}
        if not isinstance(entry, dict):
            raise self.fail(key, f"must be a package name or a table {{id=...}}, not {entry!r}")
        unknown = sorted(set(entry) - _APP_KEYS)
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"unknown key (known keys: {', '.join(sorted(_APP_KEYS))})")
        package_id = entry.get("id")
        if not isinstance(package_id, str) or not _PACKAGE_ID.match(package_id):
            raise self.fail(f"{key}.id", f"{package_id!r} is not a package name like com.example.app")
        version_code = entry.get("version_code", 1)
        if not isinstance(version_code, int) or isinstance(version_code, bool) or version_code < 0:
            raise self.fail(f"{key}.version_code", f"must be a whole number >= 0, not {version_code!r}")
        version_name = entry.get("version_name", "1.0")
        if not isinstance(version_name, str):
            raise self.fail(f"{key}.version_name", f"must be a string, not {version_name!r}")
        installer = entry.get("installer", None if system else PLAY_STORE)
        if installer is not None and (not isinstance(installer, str) or not _PACKAGE_ID.match(installer)):
            raise self.fail(f"{key}.installer", f"{installer!r} is not a package name")
        return SimPackage(
            id=package_id, system=system, version_code=version_code, version_name=version_name,
            installer=installer, apk_path=system_apk_path(package_id) if system else user_apk_path(package_id),
            app_uid=0,
        )

    def _user_tables(self) -> list[tuple[int, SimUser, list[SimPackage]]]:
        """(position in the file, user, the user apps installed for it) per [[device.user]]."""
        tables = self.get("user", list, [])
        result: list[tuple[int, SimUser, list[SimPackage]]] = []
        seen = {0}
        for number, table in enumerate(tables, start=1):
            key = f"user[{number}]"
            if not isinstance(table, dict):
                raise self.fail(key, "must be written as a [[device.user]] table")
            unknown = sorted(set(table) - _USER_KEYS)
            if unknown:
                raise self.fail(f"{key}.{unknown[0]}", f"unknown key (known keys: {', '.join(sorted(_USER_KEYS))})")
            user_id = table.get("id")
            if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
                raise self.fail(f"{key}.id", f"must be a user id > 0 (0 is the owner), not {user_id!r}")
            if user_id in seen:
                raise self.fail(f"{key}.id", f"user {user_id} is listed twice")
            seen.add(user_id)
            name = table.get("name", f"User {user_id}")
            if not isinstance(name, str) or not name or ":" in name:
                raise self.fail(f"{key}.name", f"must be a non-empty name without ':', not {name!r}")
            flags = table.get("flags", PROFILE_FLAGS)
            if not isinstance(flags, str) or not re.fullmatch(r"[0-9a-fA-F]+", flags):
                raise self.fail(f"{key}.flags", f"must be hexadecimal user flags like \"1030\", not {flags!r}")
            apps = self._apps(table.get("apps", []), f"{key}.apps", system=False)
            result.append((number, SimUser(user_id, name, flags), apps))
        return result

    def _properties(self, serial: str, manufacturer: str, model: str, release: str, sdk: int, patch: str) -> dict[str, str]:
        device = re.sub(r"[^a-z0-9]", "", model.lower()) or "generic"
        props = {
            "ro.product.manufacturer": manufacturer,
            "ro.product.brand": manufacturer.lower(),
            "ro.product.model": model,
            "ro.product.name": f"{device}user",
            "ro.product.device": device,
            "ro.serialno": serial,
            "ro.build.version.release": release,
            "ro.build.version.sdk": str(sdk),
            "ro.build.version.security_patch": patch,
            "ro.build.type": "user",
            "ro.build.tags": "release-keys",
            "ro.crypto.state": "encrypted",
            "ro.boot.verifiedbootstate": "green",
            "ro.boot.flash.locked": "1",
            "ro.debuggable": "0",
            "ro.secure": "1",
            "sys.boot_completed": "1",
        }
        for key, value in _flatten(self.get("properties", dict, {})).items():
            if not isinstance(value, str):
                raise self.fail(f"properties.{key}", f"must be a string, not {value!r}")
            props[key] = value
        return props

    def _settings(self) -> dict[str, dict[str, str]]:
        settings: dict[str, dict[str, str]] = {ns: {} for ns in SETTINGS_NAMESPACES}
        settings["global"].update({"adb_enabled": "1", "development_settings_enabled": "1"})
        for dotted, value in _flatten(self.get("settings", dict, {})).items():
            namespace, _, key = dotted.partition(".")
            if namespace not in settings or not key:
                raise self.fail(f"settings.{dotted}", "must be written \"system|secure|global.KEY\"")
            if not isinstance(value, str):
                raise self.fail(f"settings.{dotted}", f"must be a string, not {value!r}")
            settings[namespace][key] = value
        return settings


_KIND_NAMES: dict[type, str] = {
    str: "a string", int: "a whole number", float: "a number", list: "a list", dict: "a table",
}


def _non_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _not_negative(value: float) -> str | None:
    return None if value >= 0 else "must not be negative"


def _iso_date(value: str) -> str | None:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a date written YYYY-MM-DD"
    return None if len(value) == 10 else f"{value!r} is not a date written YYYY-MM-DD"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted keys written unquoted (ro.crypto.state = "x") arrive as nested tables; join them back."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat

