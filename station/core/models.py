"""The depot's nouns: a phone's identity, what is installed on it, and what the policy finds."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Platform(StrEnum):
    ANDROID = "android"
    IOS = "ios"


@dataclass(frozen=True)
class DeviceIdentity:
    """Who a phone is. ``serial`` is the key everything else is recorded under."""

    platform: Platform
    serial: str
    manufacturer: str
    model: str
    os_version: str
    sdk: str | None = None
    security_patch: str | None = None
    imei: str | None = None
    hardware_serial: str | None = None  # an iPhone's serial number (``serial`` holds its UDID)
    name: str | None = None  # the name the user gave the phone
    supervised: bool | None = None  # iPhones: managed by an organisation (None: not known)


@dataclass(frozen=True)
class InstalledApp:
    """One app as installed for one user of a phone (Android users and work profiles are separate)."""

    app_id: str
    user: int = 0
    system: bool = False
    enabled: bool = True
    version: str | None = None
    installer: str | None = None
    name: str | None = None
    team_id: str | None = None
    signer_sha256: str | None = None


@dataclass(frozen=True)
class Inventory:
    """What a phone carries, read in one pass."""

    identity: DeviceIdentity
    apps: tuple[InstalledApp, ...]
    users: tuple[int, ...] = (0,)

    def app_ids(self) -> frozenset[str]:
        return frozenset(app.app_id for app in self.apps)


@dataclass(frozen=True)
class Finding:
    """A banned app found on a phone, with the rule that bans it and why."""

    app: InstalledApp
    rule_id: str
    rule_app: str
    matched_by: str
    matched_value: str
    reason: str
    source: str
    reason_fr: str | None = None  # the reason in French, when the policy gives it
    source_fr: str | None = None  # the French version of the source, when the policy gives it

    @property
    def app_id(self) -> str:
        return self.app.app_id

    @property
    def needs_per_user_removal(self) -> bool:
        """A preinstalled Android app cannot be deleted outright, only removed for the user."""
        return self.app.system


@dataclass(frozen=True)
class Profile:
    """A configuration profile installed on an iPhone."""

    identifier: str
    name: str
    removal_disallowed: bool = False


@dataclass(frozen=True)
class DeviceFacts:
    """What the compliance checks look at, read fresh from the phone. None: the phone cannot tell."""

    encrypted: bool | None = None
    verified_boot: str | None = None  # Android: green, yellow, orange (unlocked) or red
    bootloader_locked: bool | None = None
    root_signs: tuple[str, ...] = ()  # evidence of root or jailbreak, each a short sentence
    developer_options: bool | None = None
    unknown_sources: bool | None = None
    passcode_set: bool | None = None
    profiles: tuple[Profile, ...] = ()


@dataclass(frozen=True)
class RemovalAttempt:
    """One uninstall of one app for one user, and what came of it."""

    app_id: str
    user: int
    method: str
    ok: bool
    error: str | None = None
    notes: tuple[str, ...] = field(default=())
