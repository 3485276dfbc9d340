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
    # Twins: other connected phones reporting this same serial (cheap Android phones ship with
    # 0123456789ABCDEF), by address; the phone is then told apart by ``seen_at``, its own address.
    ambiguous_with: tuple[str, ...] = ()
    seen_at: str | None = None

    @property
    def ambiguous(self) -> bool:
        return bool(self.ambiguous_with)

    @property
    def log_serial(self) -> str:
        """What the log files the phone under: its serial, or for a twin its serial at its address, so two
        phones with one serial never share a history, a checklist or a sign-off."""
        return f"{self.serial}@{self.seen_at}" if self.ambiguous and self.seen_at else self.serial


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
    unreadable_users: tuple[int, ...] = ()  # users whose apps the phone would not list (a Secure Folder)

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
class Account:
    """An account signed in on an Android phone, as ``dumpsys account`` lists it (``type`` is the
    authenticator's account type, e.g. com.google)."""

    type: str
    name: str
    user: int = 0


class BatteryHealth(StrEnum):
    """A battery's health as the phone judges it (Android's BatteryManager.BATTERY_HEALTH_* codes 1-7;
    an iPhone's BatteryHealth key, or its capacity against its design)."""

    UNKNOWN = "unknown"
    GOOD = "good"
    OVERHEAT = "overheat"
    DEAD = "dead"
    OVER_VOLTAGE = "over_voltage"
    FAILURE = "failure"
    COLD = "cold"


@dataclass(frozen=True)
class Battery:
    """The battery as the phone reports it. ``capacity_percent`` is the full charge it holds now
    against its design capacity (its "maximum capacity"), where the phone says."""

    level: int  # percent charged
    health: BatteryHealth
    charging: bool | None = None
    temperature_c: float | None = None
    cycle_count: int | None = None
    capacity_percent: int | None = None
    charge_counter_uah: int | None = None


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
    # The accounts that lock a phone after a reset. Android: every account signed in (None: the phone
    # did not list them); iPhone: whether Find My (so Activation Lock) is on (None: it did not say).
    accounts: tuple[Account, ...] | None = None
    find_my: bool | None = None
    # Who manages the phone, each a short sentence: Android's device and profile owners, an iPhone's
    # MDM enrolment or cloud configuration. Empty: nobody; None: the phone did not say.
    management: tuple[str, ...] | None = None
    battery: Battery | None = None


@dataclass(frozen=True)
class RemovalAttempt:
    """One uninstall of one app for one user, and what came of it."""

    app_id: str
    user: int
    method: str
    ok: bool
    error: str | None = None
    notes: tuple[str, ...] = field(default=())
