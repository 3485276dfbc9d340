"""A simulated Android phone's whole state: its users, packages, files, settings and properties.

SimAndroidPhone is the single source of truth, built by the fleet loader (station/sim/fleet.py). The
shell (shell.py, pm.py) and the sync service (adbd.py) change it, so a test can look at a phone after
the station worked on it and see exactly what a real phone would now hold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from station.sim.battery import SimBattery

AuthBehaviour = Literal["accept", "pending", "reject"]
# What the operator does in the recovery menu: "wipe" resets it, then skips through setup and turns USB
# debugging back on (the station's guide when a phone will not reset over USB); "reset-to-setup" resets it
# and leaves it at its first setup screen (the guide of a guided-reset hand-out); "reboot" leaves it as it was.
RecoveryChoice = Literal["wipe", "reset-to-setup", "reboot"]

SETTINGS_NAMESPACES = ("system", "secure", "global")
# Where the shell user may write, so where `adb push` succeeds on a real phone.
WRITABLE_DIRS = ("/data/local/tmp", "/sdcard")
DEFAULT_DIRS = frozenset({"/", "/data", "/data/local", "/data/local/tmp", "/sdcard", "/system"})
DEFAULT_INSTALL_TIME = "2024-01-15 09:30:00"
_FIRST_APP_UID = 10100
_PER_USER_UID_RANGE = 100000

_SDK_BY_RELEASE = {
    "16": 36, "15": 35, "14": 34, "13": 33, "12": 31, "11": 30, "10": 29, "9": 28,
    "8.1": 27, "8": 26, "7.1": 25, "7": 24, "6": 23, "5.1": 22, "5": 21,
}


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
    shell_access: bool = True  # False: Samsung's Secure Folder, or a work profile, which the shell may not list


@dataclass(frozen=True)
class SimAccount:
    """An account signed in for one user, as AccountManager holds it."""

    type: str
    name: str
    user: int = 0


# Account types whose presence at a reset turns on Factory Reset Protection (Google) or Samsung's
# Reactivation Lock: after the reset the phone asks for that account before it can be set up.
RESET_LOCKING_TYPES = ("com.google", "com.osp.app.signin")

TEST_HARNESS_PROPERTY = "persist.sys.test_harness"
# What Test Harness Mode sets once the reset phone has booted, as AOSP's TestHarnessModeService
# (services/core/java/com/android/server/testharness/TestHarnessModeService.java, configureSettings and
# setDeviceProvisioned) does: USB debugging on with keys that never expire, package verification of adb
# installs off, stay awake while charging, automatic system updates off, setup marked done.
TEST_HARNESS_GLOBAL = {
    "adb_enabled": "1",
    "adb_allowed_connection_time": "0",
    "development_settings_enabled": "1",
    "verifier_verify_adb_installs": "0",
    "stay_on_while_plugged_in": "7",  # BatteryManager.BATTERY_PLUGGED_ANY
    "ota_disable_automatic_update": "1",
    "device_provisioned": "1",
}


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
    accounts: list[SimAccount] = field(default_factory=list)
    device_owner: str | None = None  # the component (pkg/.Receiver) of an MDM app that owns the phone
    battery: SimBattery = field(default_factory=SimBattery)
    # What a reset left locked: the accounts Factory Reset Protection (or Samsung's Reactivation Lock)
    # asks for before setup can finish. Empty: the phone sets up freely.
    frp_accounts: tuple[SimAccount, ...] = ()
    lock_screen_disabled: bool = False  # LockPatternUtils.setLockScreenDisabled: no keyguard at all

    @property
    def adb_enabled(self) -> bool:
        """Settings.Global.ADB_ENABLED: adbd runs only while it is 1 (AdbService stops it on the change)."""
        return self.settings.get("global", {}).get("adb_enabled", "1") != "0"

    def enter_test_harness(self) -> None:
        """`cmd testharness enable`: the reset, then what TestHarnessModeService configures on first boot
        (the adb keys it kept are the adbd's business)."""
        self.factory_reset()
        frp_setup = self.settings["secure"]["user_setup_complete"]  # FRP still stops setup at "Verify your account"
        self.settings["global"].update(TEST_HARNESS_GLOBAL)
        self.settings["secure"]["user_setup_complete"] = frp_setup
        self.lock_screen_disabled = True
        self.properties[TEST_HARNESS_PROPERTY] = "1"

    def factory_reset(self) -> None:
        """What a wipe leaves: the preinstalled apps for the owner only, no other user, no pushed files.
        (Test Harness Mode keeps the adb keys it was enabled with, so the station reconnects.)"""
        self.users = {0: self.users[0]}
        # The accounts go with the data, but FRP remembers the ones that lock the phone, in a partition
        # a reset does not erase; setup then stops at "Verify your account" until one is given.
        locking = tuple(a for a in self.accounts if a.type in RESET_LOCKING_TYPES)
        self.frp_accounts = tuple(dict.fromkeys(self.frp_accounts + locking))  # a second reset does not free it
        self.accounts = []
        self.device_owner = None
        self.settings.setdefault("secure", {})["user_setup_complete"] = "0" if self.frp_accounts else "1"
        self.packages = {pid: pkg for pid, pkg in self.packages.items() if pkg.system}
        for package in self.packages.values():
            package.users = {0: True}
        # A reset erases the data partition; what is on the system partition (a su binary) survives it.
        self.files = {path: data for path, data in self.files.items() if path.startswith("/system/")}
        self.directories = set(DEFAULT_DIRS) | {path.rsplit("/", 1)[0] for path in self.files}
        self.settings.setdefault("global", {})["development_settings_enabled"] = "0"
        self.lock_screen = False
        self.lock_screen_disabled = False
        self.properties.pop(TEST_HARNESS_PROPERTY, None)  # a persist. property lives on the data partition

    def reset_in_recovery(self, to_setup: bool = False) -> None:
        """'Wipe data/factory reset' chosen in recovery: unlike Test Harness Mode it forgets every adb key
        and turns USB debugging off, and the phone starts at its setup screens. Unless ``to_setup``, the
        operator then skips through setup and turns USB debugging back on to reconnect the phone."""
        self.factory_reset()
        self.settings["global"].update({"adb_enabled": "0", "device_provisioned": "0"})
        setup_done = self.settings["secure"]["user_setup_complete"]
        self.settings["secure"]["user_setup_complete"] = "0"
        if not to_setup:
            self.settings["global"].update({"adb_enabled": "1", "development_settings_enabled": "1", "device_provisioned": "1"})
            self.settings["secure"]["user_setup_complete"] = setup_done

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
        version = candidate.removesuffix(".0")
        if version in _SDK_BY_RELEASE:
            return _SDK_BY_RELEASE[version]
    return None


def assign_uids(packages: dict[str, SimPackage]) -> None:
    """Number the packages' app uids from the first app uid, in the order the packages are listed."""
    for offset, package in enumerate(packages.values()):
        package.app_uid = _FIRST_APP_UID + offset
