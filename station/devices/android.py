"""Android phones through adb-shell: over TCP (wireless debugging, simulated phones) and over USB.

adb-shell is imported only here and in usb.py. Every call to a phone goes through ``_guarded``, which
puts a timeout on it and turns whatever the library raises into a DeviceError an operator can act on.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from adb_shell import exceptions as adb_errors
from adb_shell.adb_device import AdbDevice
from adb_shell.adb_device_async import AdbDeviceAsync
from adb_shell.auth.sign_cryptography import CryptographySigner
from adb_shell.transport.tcp_transport_async import TcpTransportAsync

from station.core.errors import (
    AuthorizationPending,
    AuthorizationRejected,
    DeviceDisconnected,
    DeviceError,
    DeviceProtocolError,
    DeviceTimeout,
    DeviceUnreachable,
    WipeNeedsRecovery,
)
from station.core.models import DeviceFacts, DeviceIdentity, InstalledApp, Inventory, Platform, RemovalAttempt
from station.core.phone import HandoutSetting, HandoutSettings, Phone, PhoneTarget, Timeouts
from station.devices import android_parse as parse

T = TypeVar("T")

_SPLIT = "---station-split---"
SU_PATHS = ("/system/bin/su", "/system/xbin/su", "/sbin/su", "/system/sbin/su", "/vendor/bin/su", "/su/bin/su", "/debug_ramdisk/su")
ROOT_APPS = ("com.topjohnwu.magisk", "eu.chainfire.supersu", "me.weishu.kernelsu", "com.koushikdutta.superuser", "com.noshufou.android.su")

# What Test Harness Mode changed for testing (AOSP TestHarnessModeService.configureSettings and
# disableLockScreen) and the value a phone goes out with: Android's own defaults (None: the setting is
# deleted, so the platform's default applies; for adb_allowed_connection_time that is 7 days, after which
# Android 11+ forgets an adb key not used since, this station's included).
HANDOUT_SETTINGS: dict[str, str | None] = {
    "global.verifier_verify_adb_installs": "1",  # Settings.Global.PACKAGE_VERIFIER_INCLUDE_ADB: Play Protect checks adb installs
    "global.ota_disable_automatic_update": "0",  # Settings.Global.OTA_DISABLE_AUTOMATIC_UPDATE: updates install by themselves
    "global.stay_on_while_plugged_in": "0",  # Settings.Global.STAY_ON_WHILE_PLUGGED_IN: the screen sleeps while charging
    "global.adb_allowed_connection_time": None,  # Settings.Global.ADB_ALLOWED_CONNECTION_TIME: 0 kept adb keys forever
}
LOCK_SCREEN = "locksettings.disabled"  # LockPatternUtils.setLockScreenDisabled, through `locksettings set-disabled`
TEST_HARNESS_PROPERTY = "persist.sys.test_harness"  # 1 from Test Harness Mode's setup until the next factory reset

ALLOW_PROMPT = (
    "tap Allow on the phone's 'Allow USB debugging?' prompt (tick 'Always allow from this computer')"
)


class _LinkClosed(ConnectionError):
    """The phone closed the connection (end of stream)."""


class _EofAwareTcpTransport(TcpTransportAsync):  # type: ignore[misc]  # adb-shell has no type information: its classes are Any
    """adb-shell's TCP transport returns b'' forever once the phone hangs up, and adb-shell then spins
    until its read timeout. Raising at end of stream makes an unplugged phone fail at once."""

    async def bulk_read(self, numbytes: int, transport_timeout_s: float | None) -> bytes:
        if self._reader is None:
            raise _LinkClosed("not connected")
        data: bytes = await super().bulk_read(numbytes, transport_timeout_s)
        if not data:
            raise _LinkClosed("end of stream")
        return data


async def _guarded(address: str, what: str, call: Awaitable[T], timeout: float) -> T:
    """Run one call to a phone with a timeout, mapping every library failure to a DeviceError."""
    try:
        return await asyncio.wait_for(call, timeout)
    except DeviceError:
        raise
    except (TimeoutError, adb_errors.TcpTimeoutException, adb_errors.AdbTimeoutError):
        raise DeviceTimeout(
            address, f"{what}: no answer within {timeout:g} s; check the cable, then unplug and replug the phone"
        ) from None
    except (ConnectionError, adb_errors.AdbConnectionError, adb_errors.UsbReadFailedError, adb_errors.UsbWriteFailedError, OSError):
        raise DeviceDisconnected(
            address, f"{what}: the connection dropped (phone unplugged or rebooted); plug it back in and scan again"
        ) from None
    except (adb_errors.InvalidResponseError, adb_errors.InvalidChecksumError, adb_errors.InvalidCommandError) as exc:
        raise DeviceProtocolError(address, f"{what}: the phone sent a garbled ADB reply ({exc})") from None


class _Link:
    """One open ADB connection, whichever transport carries it."""

    async def shell(self, command: str, timeout: float) -> str:
        raise NotImplementedError

    async def push(self, local_path: str, device_path: str, timeout: float) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


class _TcpLink(_Link):
    def __init__(self, device: AdbDeviceAsync) -> None:
        self.device = device

    async def shell(self, command: str, timeout: float) -> str:
        output: str = await self.device.shell(command, read_timeout_s=timeout, timeout_s=timeout)
        return output

    async def push(self, local_path: str, device_path: str, timeout: float) -> None:
        await self.device.push(local_path, device_path, read_timeout_s=timeout)

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a dead link must never raise
            await self.device.close()


class _UsbLink(_Link):
    """adb-shell's USB device is synchronous: its calls run in worker threads, with libusb timeouts."""

    def __init__(self, device: AdbDevice) -> None:
        self.device = device

    async def shell(self, command: str, timeout: float) -> str:
        output: str = await asyncio.to_thread(
            self.device.shell, command, transport_timeout_s=timeout, read_timeout_s=timeout, timeout_s=timeout
        )
        return output

    async def push(self, local_path: str, device_path: str, timeout: float) -> None:
        await asyncio.to_thread(self.device.push, local_path, device_path, transport_timeout_s=timeout, read_timeout_s=timeout)

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a dead link must never raise
            await asyncio.to_thread(self.device.close)


class AndroidPhone(Phone):
    platform = Platform.ANDROID

    def __init__(self, link: _Link, address: str, timeouts: Timeouts, usb_serial: str | None = None) -> None:
        self.link = link
        self.address = address
        self.timeouts = timeouts
        self.usb_serial = usb_serial
        # The build properties as this connection last read them (identity, inventory). The facts take
        # theirs from it: every one they use is a read-only ro.* property, set at boot, and a connection
        # does not outlive a reboot, so reading getprop again in the same reading would only repeat it.
        self._props: dict[str, str] | None = None

    async def _shell(self, what: str, command: str, timeout: float | None = None) -> str:
        limit = timeout or self.timeouts.command
        return await _guarded(self.address, what, self.link.shell(command, limit), limit)

    def _parsed(self, what: str, parser: Callable[[str], T], text: str) -> T:
        try:
            return parser(text)
        except ValueError as exc:
            raise DeviceProtocolError(self.address, f"{what}: the phone's reply could not be read ({exc})") from None

    def _identity_from(self, props: dict[str, str]) -> DeviceIdentity:
        serial = props.get("ro.serialno") or props.get("ro.boot.serialno") or self.usb_serial
        if not serial:
            raise DeviceProtocolError(self.address, "the phone reports no serial number (ro.serialno is empty)")
        return DeviceIdentity(
            platform=Platform.ANDROID,
            serial=serial,
            manufacturer=props.get("ro.product.manufacturer", ""),
            model=props.get("ro.product.model", ""),
            os_version=props.get("ro.build.version.release", ""),
            sdk=props.get("ro.build.version.sdk") or None,
            security_patch=props.get("ro.build.version.security_patch") or None,
        )

    async def identity(self) -> DeviceIdentity:
        text = await self._shell("reading the phone's identity", "getprop")
        self._props = self._parsed("reading the phone's identity", parse.parse_getprop, text)
        return self._identity_from(self._props)

    async def inventory(self) -> Inventory:
        what = "reading the phone's identity and users"
        head = await self._shell(what, f"getprop; echo {_SPLIT}; pm list users")
        props_text, users_text = self._split(what, head, 2)
        self._props = self._parsed(what, parse.parse_getprop, props_text)
        identity = self._identity_from(self._props)
        users = [user for user, _name in self._parsed(what, parse.parse_users, users_text)]

        what = "listing installed apps"
        parts = []
        for user in users:
            parts += [
                f"pm list packages -f -i -U --show-versioncode --user {user}",
                f"echo {_SPLIT}",
                f"pm list packages -s --user {user}",
                f"echo {_SPLIT}",
                f"pm list packages -d --user {user}",
                f"echo {_SPLIT}",
            ]
        body = await self._shell(what, "; ".join(parts))
        sections = self._split(what, body, 3 * len(users) + 1)
        apps: list[InstalledApp] = []
        unreadable: list[int] = []
        for index, user in enumerate(users):
            if parse.shell_denied_user(sections[3 * index]) == user:
                unreadable.append(user)  # its apps cannot be listed: said, never taken for none
                continue
            listed, system, disabled = (
                self._parsed(what, parse.parse_package_list, sections[3 * index + k]) for k in range(3)
            )
            system_names = {line.name for line in system}
            disabled_names = {line.name for line in disabled}
            apps.extend(
                InstalledApp(
                    app_id=line.name,
                    user=user,
                    system=line.name in system_names,
                    enabled=line.name not in disabled_names,
                    version=line.version_code,
                    installer=line.installer,
                )
                for line in listed
            )
        return Inventory(identity=identity, apps=tuple(apps), users=tuple(users), unreadable_users=tuple(unreadable))

    async def facts(self, inventory: Inventory) -> DeviceFacts:
        what = "reading the phone's security state"
        command = (
            f"settings get global development_settings_enabled; echo {_SPLIT}; "
            f"settings get secure install_non_market_apps; echo {_SPLIT}; ls {' '.join(SU_PATHS)}; echo {_SPLIT}; "
            f"dumpsys account; echo {_SPLIT}; dpm list-owners; echo {_SPLIT}; dumpsys battery"
        )
        props = self._props
        if props is None:  # nothing read on this connection yet
            command = f"getprop; echo {_SPLIT}; {command}"
        sections = self._split(what, await self._shell(what, command), 6 if props is not None else 7)
        if props is None:
            props = self._props = self._parsed(what, parse.parse_getprop, sections.pop(0))
        developer, unknown_sources, listing, accounts, owners, battery = sections
        signs = [f"su binary at {path}" for path in parse.present_paths(listing, SU_PATHS)]
        if "test-keys" in props.get("ro.build.tags", ""):
            signs.append(f"build signed with test keys (ro.build.tags={props['ro.build.tags']})")
        if props.get("ro.debuggable") == "1":
            signs.append("debuggable build (ro.debuggable=1)")
        signs += [f"root manager app {app}" for app in sorted(inventory.app_ids() & set(ROOT_APPS))]
        crypto = props.get("ro.crypto.state")
        locked = props.get("ro.boot.flash.locked")
        return DeviceFacts(
            encrypted=None if crypto is None else crypto == "encrypted",
            verified_boot=props.get("ro.boot.verifiedbootstate") or None,
            bootloader_locked=None if locked is None else locked == "1",
            root_signs=tuple(signs),
            developer_options=self._parsed(what, parse.parse_setting, developer),
            unknown_sources=self._parsed(what, parse.parse_setting, unknown_sources),
            accounts=_or_unknown(lambda: tuple(parse.parse_accounts(accounts))),
            management=_or_unknown(lambda: tuple(parse.parse_owners(owners))),
            battery=_or_unknown(lambda: parse.parse_battery(battery)),
        )

    def _split(self, what: str, text: str, expected: int) -> list[str]:
        sections = text.split(_SPLIT + "\n") if _SPLIT + "\n" in text else text.split(_SPLIT)
        if len(sections) != expected:
            raise DeviceProtocolError(
                self.address, f"{what}: the phone's reply was cut short ({len(sections)} of {expected} parts)"
            )
        return sections

    async def uninstall(self, app_id: str, apps: list[InstalledApp]) -> list[RemovalAttempt]:
        """A user-installed app present for the owner goes for every user at once (``pm uninstall``).
        A preinstalled app can only be removed per user (``pm uninstall --user N``, and a factory reset
        brings it back); so is an app that only a work profile or second user has."""
        if any(not app.system for app in apps) and any(app.user == 0 for app in apps):
            output = await self._shell(f"uninstalling {app_id}", f"pm uninstall {app_id}", self.timeouts.uninstall)
            error = parse.parse_uninstall(output)
            return [RemovalAttempt(app_id, app.user, "pm uninstall", error is None, error) for app in apps]
        attempts = []
        for app in apps:
            command = f"pm uninstall --user {app.user} {app_id}"
            output = await self._shell(f"uninstalling {app_id} for user {app.user}", command, self.timeouts.uninstall)
            error = parse.parse_uninstall(output)
            notes = ("preinstalled app: removed for this user only; a factory reset restores it",) if app.system else ()
            attempts.append(RemovalAttempt(app_id, app.user, f"pm uninstall --user {app.user}", error is None, error, notes))
        return attempts

    async def install_app(self, package_file: str) -> str:
        """Push the APK to /data/local/tmp, `pm install -r` it, and remove the copy (adb has no install
        service the station can use over adb-shell)."""
        name = Path(package_file).name
        remote = f"/data/local/tmp/station-{name}"
        copy = self.link.push(package_file, remote, self.timeouts.uninstall)
        await _guarded(self.address, f"copying {name} to the phone", copy, self.timeouts.uninstall)
        output = await self._shell(f"installing {name}", f"pm install -r {remote}; rm -f {remote}", self.timeouts.uninstall)
        error = parse.parse_uninstall(output)
        if error is not None:
            raise DeviceProtocolError(self.address, f"installing {name}: {error}")
        return f"installed {name}"

    async def put_setting(self, namespace: str, key: str, value: str) -> None:
        await self._shell(f"setting {namespace}.{key}", f"settings put {namespace} {key} {shlex.quote(value)}")

    async def restore_handout_settings(self) -> HandoutSettings:
        """Put back, in one shell command line, what Test Harness Mode set for testing, then read every value back."""
        what = "putting back the settings Test Harness Mode changed"
        writes = [f"settings put {ns} {key} {value}" if value is not None else f"settings delete {ns} {key}"
                  for ns, key, value in ((*name.split(".", 1), value) for name, value in HANDOUT_SETTINGS.items())]
        reads = [f"settings get {name.replace('.', ' ', 1)}" for name in HANDOUT_SETTINGS]
        command = "; ".join([*writes, "locksettings set-disabled false",
                             *(f"echo {_SPLIT}; {read}" for read in reads),
                             f"echo {_SPLIT}; locksettings get-disabled", f"echo {_SPLIT}; getprop {TEST_HARNESS_PROPERTY}"])
        sections = self._split(what, await self._shell(what, command), len(reads) + 3)
        values = [section.strip() for section in sections[1:]]
        pairs = zip(HANDOUT_SETTINGS.items(), values[:len(reads)], strict=True)
        settings = [HandoutSetting(name, wanted, got) for (name, wanted), got in pairs]
        settings.append(HandoutSetting(LOCK_SCREEN, "false", values[-2]))
        return HandoutSettings(tuple(settings), values[-1] == "1")

    async def seal(self) -> None:
        """Developer options off, then USB debugging off (Settings.Global.DEVELOPMENT_SETTINGS_ENABLED and
        ADB_ENABLED): Android's AdbService stops adbd when adb_enabled changes, which ends this very
        connection, so the reply may never come; the target's lets_station_in then tells."""
        command = "settings put global development_settings_enabled 0; settings put global adb_enabled 0"
        with contextlib.suppress(DeviceDisconnected, DeviceTimeout):
            await self._shell("turning USB debugging off", command, min(self.timeouts.command, 5.0))
        await self.close()

    async def wipe(self) -> str:
        """Test Harness Mode (Android 10+): a factory reset that keeps USB debugging and this station's
        key, so the phone can be verified when it comes back. Android refuses it while a screen lock is
        set, and before Android 10 it does not exist: then the reset is chosen by hand in recovery."""
        identity = await self.identity()
        if identity.sdk is not None and identity.sdk.isdigit() and int(identity.sdk) < 29:
            raise WipeNeedsRecovery(self.address, f"Android {identity.os_version} cannot be wiped over USB debugging")
        output = await self._shell("starting the factory reset", "cmd testharness enable")
        if output.strip():
            raise WipeNeedsRecovery(self.address, f"the phone refused the reset over USB debugging ({output.strip()[:200]})")
        return "the phone is resetting and will restart; it is verified when it comes back"

    async def reboot_to_recovery(self) -> None:
        """`reboot recovery`; the phone drops the connection as it goes, which is what was asked for."""
        with contextlib.suppress(DeviceDisconnected):
            await self._shell("restarting into recovery", "reboot recovery")

    async def close(self) -> None:
        await self.link.close()


def _or_unknown(read: Callable[[], T]) -> T | None:
    """What a parser made of a reply, or None (not known) when the phone answered something else: an
    older Android without the command, or a dump cut short. Unknown accounts keep a wipe from going
    ahead, so a reply the station cannot read never passes for "no account"."""
    try:
        return read()
    except ValueError:
        return None


class AdbTcpTarget(PhoneTarget):
    """A phone reached over TCP: Android's wireless debugging, or a simulated phone."""

    platform = Platform.ANDROID

    def __init__(self, host: str, port: int, signer: CryptographySigner, timeouts: Timeouts = Timeouts()) -> None:
        self.host = host
        self.port = port
        self.address = f"{host}:{port}"
        self.signer = signer
        self.timeouts = timeouts

    async def lets_station_in(self) -> bool:
        """Asked with short timeouts: a phone whose adbd has stopped refuses the connection at once."""
        quick = Timeouts(connect=min(self.timeouts.connect, 3.0), approval=1.0, command=3.0, uninstall=3.0)
        return await PhoneTarget.lets_station_in(AdbTcpTarget(self.host, self.port, self.signer, quick))

    async def connect(self, on_needs_approval: Callable[[str], None]) -> Phone:
        device = AdbDeviceAsync(_EofAwareTcpTransport(self.host, self.port), default_transport_timeout_s=self.timeouts.connect)
        prompted = False

        def prompt(_device: Any) -> None:
            nonlocal prompted
            prompted = True
            on_needs_approval(ALLOW_PROMPT)

        total = self.timeouts.connect + self.timeouts.approval
        try:
            await _guarded(
                self.address,
                "connecting",
                device.connect(
                    rsa_keys=[self.signer],
                    transport_timeout_s=self.timeouts.connect,
                    auth_timeout_s=self.timeouts.approval,
                    read_timeout_s=self.timeouts.connect,
                    auth_callback=prompt,
                ),
                total,
            )
        except DeviceTimeout:
            await _TcpLink(device).close()
            if prompted:
                raise AuthorizationPending(
                    self.address, f"the phone has not accepted this station yet: {ALLOW_PROMPT}, then try again"
                ) from None
            raise
        except DeviceDisconnected:
            await _TcpLink(device).close()
            if prompted:
                raise AuthorizationRejected(
                    self.address,
                    "the phone refused this station's key (Deny was tapped). Unplug and replug it, then tap Allow",
                ) from None
            raise DeviceUnreachable(
                self.address, "nothing answers at this address: is the phone's wireless debugging (or `station simulate`) on?"
            ) from None
        except BaseException:  # cancelled (the operator, or the station closing) or anything unforeseen
            await _TcpLink(device).close()
            raise
        return AndroidPhone(_TcpLink(device), self.address, self.timeouts)
