"""iPhones through pymobiledevice3, over usbmuxd (the system's, or one given as HOST:PORT).

pymobiledevice3 is imported only here. It is asyncio throughout and its connections belong to the loop
that made them, so a phone is used only on the engine's loop. Every call goes through ``_guarded``:
a timeout, and the library's exceptions turned into DeviceErrors an operator can act on.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from xml.parsers.expat import ExpatError

from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import (
    BadDevError,
    ConnectionFailedError,
    ConnectionTerminatedError,
    DeviceNotFoundError,
    InvalidHostIDError,
    MuxException,
    NoDeviceConnectedError,
    NotPairedError,
    PairingDialogResponsePendingError,
    PasswordRequiredError,
    PyMobileDevice3Exception,
    UserDeniedPairingError,
)
from pymobiledevice3.lockdown import LockdownClient, PlistUsbmuxLockdownClient, UsbmuxLockdownClient, create_using_usbmux
from pymobiledevice3.service_connection import ServiceConnection, create_ssl_context, parse_plist
from pymobiledevice3.services.diagnostics import DiagnosticsService
from pymobiledevice3.services.installation_proxy import InstallationProxyService
from pymobiledevice3.services.lockdown_service import LockdownService
from pymobiledevice3.services.mobile_config import MobileConfigService
from pymobiledevice3.usbmux import BinaryMuxConnection, MuxConnection, PlistMuxConnection

from station.core.errors import (
    AuthorizationPending,
    AuthorizationRejected,
    DeviceDisconnected,
    DeviceError,
    DeviceProtocolError,
    DeviceTimeout,
    StationError,
    WipeRefused,
)
from station.core.models import Battery, DeviceFacts, DeviceIdentity, InstalledApp, Inventory, Platform, Profile, RemovalAttempt
from station.core.notices import Notice, NoticeKind
from station.core.phone import Phone, PhoneTarget, PhoneWatcher, Timeouts
from station.devices import ios_parse

T = TypeVar("T")
S = TypeVar("S", bound=LockdownService)

TRUST_PROMPT = "unlock the iPhone and tap Trust on 'Trust This Computer?', then enter its passcode"
# Package managers and loaders that only a jailbroken iPhone can run.
JAILBREAK_APPS = (
    "com.saurik.Cydia", "org.coolstar.SileoStore", "xyz.willy.Zebra", "science.xnu.undecimus",
    "kjc.loader", "com.opa334.Dopamine", "com.samiiau.loader", "com.electrateam.chimera",
)
_APP_ATTRIBUTES = [
    "CFBundleIdentifier",
    "CFBundleDisplayName",
    "CFBundleName",
    "CFBundleShortVersionString",
    "ApplicationType",
    "Entitlements",
]


class _TrustPending(AuthorizationPending):
    """The iPhone shows "Trust This Computer?" and nobody has answered yet."""


FINISH_LIMIT_S = 3.0  # how long a cancelled call may go on finishing (closing the station waits for it)


async def _finish_then_close(task: asyncio.Future[Any], timeout: float) -> None:
    """pymobiledevice3 does not close its sockets when a call is cancelled half-way (it cleans up on
    Exception only). So a cancelled call is let run to its end, bounded, and whatever it opened is closed."""
    timeout = min(timeout, FINISH_LIMIT_S)
    try:
        result = await asyncio.wait_for(asyncio.shield(task), timeout)
    except BaseException:  # noqa: BLE001 - the call's own failure no longer matters to anyone
        task.cancel()
        return
    close = getattr(result, "close", None)
    if close is not None:
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(close(), timeout)


# What pymobiledevice3 lets through when a reply is well framed but not what it expects (a list where a
# dictionary belongs, text where a number belongs, XML that does not parse): the phone's fault, not the station's.
_MALFORMED = (ValueError, TypeError, AttributeError, KeyError, IndexError, ExpatError)


async def _guarded(address: str, what: str, call: Awaitable[T], timeout: float) -> T:
    """Run one call to an iPhone with a timeout, mapping every library failure to a DeviceError."""
    task = asyncio.ensure_future(call)
    try:
        return await asyncio.wait_for(asyncio.shield(task), timeout)
    except asyncio.CancelledError:
        await _finish_then_close(task, timeout)
        raise
    except TimeoutError:
        task.cancel()
        raise DeviceTimeout(
            address, f"{what}: no answer within {timeout:g} s; check the cable, then unplug and replug the iPhone"
        ) from None
    except DeviceError:
        raise
    except (ConnectionTerminatedError, asyncio.IncompleteReadError, ConnectionError, OSError):
        raise DeviceDisconnected(
            address, f"{what}: the connection dropped (iPhone unplugged or restarting); plug it back in and scan again"
        ) from None
    except (NoDeviceConnectedError, DeviceNotFoundError, BadDevError, ConnectionFailedError):
        raise DeviceDisconnected(address, f"{what}: usbmuxd no longer sees this iPhone; plug it back in and scan again") from None
    except PairingDialogResponsePendingError:
        raise _TrustPending(address, f"{what}: the iPhone has not trusted this station yet: {TRUST_PROMPT}, then try again") from None
    except PasswordRequiredError:
        raise AuthorizationPending(address, f"{what}: the iPhone is locked: unlock it with its passcode, then try again") from None
    except UserDeniedPairingError:
        raise AuthorizationRejected(
            address, f"{what}: 'Don't Trust' was tapped on the iPhone; unplug and replug it, then tap Trust"
        ) from None
    except (NotPairedError, InvalidHostIDError):
        raise AuthorizationPending(
            address, f"{what}: the iPhone no longer trusts this station; unplug and replug it, then tap Trust"
        ) from None
    except (PyMobileDevice3Exception, *_MALFORMED) as exc:
        raise DeviceProtocolError(address, f"{what}: the iPhone answered something unexpected ({type(exc).__name__}: {exc})") from None


class _KnownDeviceServices(UsbmuxLockdownClient):
    """A lockdown client that opens each service straight through the usbmuxd device it is connected to.

    The library's own client asks usbmuxd for its whole device list before every service it starts and
    loads its TLS certificate from a temporary file every time: with dozens of iPhones on one hub that
    was a fifth of the station's CPU (a list of every phone parsed for each of a dozen services per phone).
    The device id stays valid for as long as the phone stays plugged in; once it is unplugged, usbmuxd
    refuses the id and the call fails as a disconnection, as before. The pairing (and so the certificate)
    is settled before the client is handed out, so one TLS context serves every service.

    The library also probes usbmuxd (a connection of its own and a ReadBUID) before each connection to
    learn which protocol it speaks; the client's class already says (the library chose it by that probe
    when it made the client), so each service's connection goes straight to Connect in that protocol.
    """

    _service_ssl: ssl.SSLContext | None = None
    _mux_protocol: type[MuxConnection] = BinaryMuxConnection

    async def start_lockdown_service(self, name: str, include_escrow_bag: bool = False) -> ServiceConnection:
        attributes = await self.get_service_connection_attributes(name, include_escrow_bag=include_escrow_bag)
        context = self._tls_context() if attributes.get("EnableServiceSSL", False) else None
        return await self.create_service_connection(attributes["Port"], ssl_context=context)

    def _tls_context(self) -> ssl.SSLContext:
        if self._service_ssl is None:
            with self.ssl_file() as certificate:
                self._service_ssl = create_ssl_context(certificate)
        return self._service_ssl

    async def create_service_connection(
        self, port: int, ssl_context: ssl.SSLContext | None = None, strip_ssl: bool = False
    ) -> ServiceConnection:
        device = self.service.mux_device
        if device is None:
            return await super().create_service_connection(port, ssl_context, strip_ssl)
        mux = self._mux_protocol(await MuxConnection.create_usbmux_socket(self.usbmux_address))
        try:
            sock = await mux.connect(device, port)
        except BaseException:
            await mux.close()
            raise
        return await ServiceConnection.from_socket(sock, ssl_context=ssl_context, strip_ssl=strip_ssl, mux_device=device)


class _KnownDevicePlistServices(_KnownDeviceServices, PlistUsbmuxLockdownClient):
    """The same, for a usbmuxd speaking the plist protocol (every usbmuxd in use today)."""

    _mux_protocol = PlistMuxConnection


# Looked up by the class of whatever client the library made, which may be any LockdownClient.
_KNOWN_DEVICE: dict[type[LockdownClient], type[LockdownClient]] = {
    UsbmuxLockdownClient: _KnownDeviceServices,
    PlistUsbmuxLockdownClient: _KnownDevicePlistServices,
}


def _with_known_device(client: LockdownClient) -> LockdownClient:
    """``client``, now opening services through its own usbmuxd device (see _KnownDeviceServices).
    The library picks the client's class itself, so the class is swapped after the fact; an unknown
    class is left as it is."""
    known = _KNOWN_DEVICE.get(type(client))
    if known is not None:
        client.__class__ = known
    return client


class IPhone(Phone):
    """One connection to an iPhone, for one job.

    Each lockdown service the job needs (installation_proxy, MCInstall, diagnostics_relay) is started
    once, on first use, and its connection serves every later request of the job: each start is a
    StartService, a usbmuxd connection and a TLS handshake, and a job used to make a dozen of them where
    three do. A request that fails half-way (a timeout, a garbled reply, cancelling) leaves its
    connection mid-conversation, so that connection is closed and the next request starts the service
    afresh. The connections end with the job (close), and with it everything read through them: the
    next job reads the phone again.
    """

    platform = Platform.IOS

    def __init__(self, lockdown: LockdownClient, address: str, timeouts: Timeouts, pair_record: Path | None = None) -> None:
        self.lockdown = lockdown
        self.address = address
        self.timeouts = timeouts
        self.pair_record = pair_record  # the station's own copy of its pairing with this iPhone, when it keeps one
        # The iPhone's cloud configuration (supervision, MDM enrolment), once read: only erasing the phone
        # changes it, and an erased phone drops this connection, so it is read once per connection
        # (identity is re-read before every removal). The outer tuple says it was read; None inside:
        # the phone has none.
        self._cloud: tuple[dict[str, Any] | None] | None = None
        self._services: dict[type[LockdownService], LockdownService] = {}
        # lockdown's default domain as the library read it inside the session while connecting, moments
        # ago: the first identity of this connection is taken from it instead of asking again.
        self._connected_values: dict[str, Any] | None = (
            lockdown.all_values if lockdown.paired and isinstance(lockdown.all_values, dict) else None
        )
        # The default domain as the latest identity read it, for the facts of the same reading (which
        # take PasswordProtected from it); used once, so a later reading asks the phone again.
        self._reading_values: dict[str, Any] | None = None

    async def _call(self, what: str, call: Awaitable[T], timeout: float | None = None) -> T:
        return await _guarded(self.address, what, call, timeout or self.timeouts.command)

    async def _with_service(self, kind: type[S], work: Callable[[S], Awaitable[T]]) -> T:
        """``work`` on this connection's one ``kind`` service, started on first use; a connection a
        failed or cancelled request leaves behind is closed (the next request starts the service again)."""
        service = self._services.get(kind)
        if not isinstance(service, kind):
            service = kind(self.lockdown)
            self._services[kind] = service
        try:
            return await work(service)
        except BaseException:
            if self._services.get(kind) is service:
                del self._services[kind]
            with contextlib.suppress(BaseException):  # the request's own failure is what is reported
                await asyncio.wait_for(service.close(), FINISH_LIMIT_S)
            raise

    async def _values(self) -> dict[str, Any]:
        """lockdown's default domain: read now, or, for this connection's first reading, as read while connecting."""
        values = self._connected_values
        self._connected_values = None
        if values is None:
            read: dict[str, Any] = await self._call("reading the iPhone's identity", self.lockdown.get_value())
            values = read
        self._reading_values = values
        return values

    async def identity(self) -> DeviceIdentity:
        values = await self._values()
        supervised = await self._supervised()
        try:
            return DeviceIdentity(
                platform=Platform.IOS,
                serial=str(values["UniqueDeviceID"]),
                manufacturer="Apple",
                model=str(values["ProductType"]),
                os_version=str(values["ProductVersion"]),
                imei=values.get("InternationalMobileEquipmentIdentity"),
                hardware_serial=values.get("SerialNumber"),
                name=values.get("DeviceName"),
                supervised=supervised,
            )
        except KeyError as missing:
            raise DeviceProtocolError(self.address, f"the iPhone did not report {missing}") from None

    async def _cloud_configuration(self) -> dict[str, Any] | None:
        async def read(config: MobileConfigService) -> dict[str, Any] | None:
            return await config.get_cloud_configuration()

        if self._cloud is None:
            self._cloud = (await self._call("reading the iPhone's cloud configuration", self._with_service(MobileConfigService, read)),)
        return self._cloud[0]

    async def _supervised(self) -> bool | None:
        cloud = await self._cloud_configuration()
        return bool(cloud.get("IsSupervised")) if cloud is not None else None

    async def inventory(self) -> Inventory:
        identity = await self.identity()

        listed = await self._call("listing installed apps", self._with_service(InstallationProxyService, _browse))
        apps = []
        for entry in listed:
            bundle_id = entry.get("CFBundleIdentifier")
            if not isinstance(bundle_id, str) or not bundle_id:
                raise DeviceProtocolError(self.address, "listing installed apps: an app without a bundle identifier")
            apps.append(
                InstalledApp(
                    app_id=bundle_id,
                    system=entry.get("ApplicationType") == "System",
                    version=entry.get("CFBundleShortVersionString"),
                    name=entry.get("CFBundleDisplayName") or entry.get("CFBundleName"),
                    team_id=_team_id(entry.get("Entitlements")),
                )
            )
        return Inventory(identity=identity, apps=tuple(apps))

    async def facts(self, inventory: Inventory) -> DeviceFacts:
        """iOS encrypts user data with the passcode (Data Protection): no passcode, no protection."""
        protected = await self._password_protected()
        passcode = None if protected is None else bool(protected)
        signs = tuple(f"jailbreak app {app}" for app in sorted(inventory.app_ids() & set(JAILBREAK_APPS)))
        associated = await self._unless_refused("reading whether Find My is on",
                                                self.lockdown.get_value(domain=ios_parse.FIND_MY_DOMAIN, key=ios_parse.FIND_MY_KEY))
        cloud = await self._cloud_configuration()
        return DeviceFacts(
            encrypted=passcode, root_signs=signs, passcode_set=passcode, profiles=tuple(await self.profiles()),
            find_my=ios_parse.find_my(associated),
            management=None if cloud is None else tuple(ios_parse.management(cloud)),
            battery=await self._battery(),
        )

    async def _password_protected(self) -> object:
        """PasswordProtected from the default domain this reading's identity just read (lockdown gives it
        there to a paired host), else asked for by itself."""
        values = self._reading_values
        self._reading_values = None
        if values is not None and "PasswordProtected" in values:
            return values["PasswordProtected"]
        protected: object = await self._call("reading whether a passcode is set", self.lockdown.get_value(key="PasswordProtected"))
        return protected

    async def _battery(self) -> Battery | None:
        """The battery as diagnostics_relay's IORegistry shows it (the IOPMPowerSource entry, which is
        AppleSmartBattery on an iPhone 8 and later); None when the iPhone does not say."""

        async def read(diagnostics: DiagnosticsService) -> object:  # the library leaves its reply untyped; battery() checks its shape
            reply: object = await diagnostics.ioregistry(ioclass=ios_parse.POWER_SOURCE_CLASS)
            return reply

        entry = await self._unless_refused("reading the battery", self._with_service(DiagnosticsService, read))
        return ios_parse.battery(entry) if isinstance(entry, dict) else None

    async def _unless_refused(self, what: str, call: Awaitable[T]) -> T | None:
        """A value the iPhone may refuse to give (lockdown's MissingValue, a service it does not run):
        None, read as not known, rather than the end of the whole reading. A dropped connection or a
        timeout still ends it."""
        try:
            return await self._call(what, call)
        except DeviceProtocolError:
            return None

    async def uninstall(self, app_id: str, apps: list[InstalledApp]) -> list[RemovalAttempt]:
        error = await self._call(f"uninstalling {app_id}", self._with_service(InstallationProxyService, self._uninstall(app_id)),
                                 self.timeouts.uninstall)
        return [RemovalAttempt(app_id, app.user, "installation_proxy Uninstall", error is None, error) for app in apps]

    @staticmethod
    def _uninstall(app_id: str) -> Callable[[InstallationProxyService], Awaitable[str | None]]:
        """installation_proxy's Uninstall, reading its progress replies here: the library's own helper
        draws a progress bar on stderr and swaps sys.stdout/sys.stderr while it runs, which would break
        the station's output and logging. The work returns None on success, else the phone's error."""

        async def uninstall(proxy: InstallationProxyService) -> str | None:
            await proxy.service.send_plist({"Command": "Uninstall", "ApplicationIdentifier": app_id, "ClientOptions": {}})
            while True:
                reply = await proxy.service.recv_plist()
                if not reply:
                    return "the iPhone ended the uninstall without saying it was complete"
                if reply.get("Error"):
                    # !s: to the type checker a plist value may be bytes; the phone sends its error as text.
                    return f"{reply['Error']!s}: {reply.get('ErrorDescription', '')!s}".rstrip(": ")
                if reply.get("Status") == "Complete":
                    return None

        return uninstall

    async def wipe(self) -> str:
        async def erase(config: MobileConfigService) -> None:
            await config.erase_device(preserve_data_plan=True, disallow_proximity_setup=True)

        try:
            await self._call("erasing the iPhone", self._with_service(MobileConfigService, erase))
        except DeviceProtocolError as exc:
            raise WipeRefused(
                self.address, f"the iPhone refused to erase ({exc}); erase it by hand: Settings, General, Transfer or Reset iPhone"
            ) from None
        # pymobiledevice3 takes a dropped connection here as the erase starting, which is what an erasing
        # iPhone does; a cable pulled at that moment looks the same, so only the phone coming back fresh
        # (the checklist's factory_fresh) shows the erase happened.
        return "the iPhone was told to erase and let go of the connection; the erase is verified when it comes back as a new phone"

    async def profiles(self) -> list[Profile]:
        async def read(config: MobileConfigService) -> dict[str, Any]:
            return await config.get_profile_list()

        listed = await self._call("listing profiles", self._with_service(MobileConfigService, read))
        metadata: dict[str, Any] = listed.get("ProfileMetadata") or {}
        return [
            Profile(identifier, str(meta.get("PayloadDisplayName", identifier)), bool(meta.get("PayloadRemovalDisallowed", False)))
            for identifier, meta in metadata.items()
        ]

    async def install_profile(self, payload: bytes) -> None:
        """Install a .mobileconfig; an unsupervised iPhone then asks its user to approve it in Settings."""

        async def install(config: MobileConfigService) -> None:
            await config.install_profile(payload)

        await self._call("installing a profile", self._with_service(MobileConfigService, install))

    async def remove_profile(self, identifier: str) -> None:
        async def remove(config: MobileConfigService) -> None:
            await config.remove_profile(identifier)

        await self._call(f"removing profile {identifier}", self._with_service(MobileConfigService, remove))

    async def seal(self) -> None:
        """Remove this station's pairing from the iPhone (lockdown's Unpair, as `idevicepair unpair` sends) and
        the station's own copy of the pair record, so the iPhone asks "Trust This Computer?" again before
        anyone at this PC reaches it. usbmuxd's copy is the system's, shared with other software on this PC;
        the iPhone no longer accepts it, and pairing again replaces it."""
        await self._call("removing this station's pairing", self.lockdown.unpair())
        if self.pair_record is not None:
            self.pair_record.unlink(missing_ok=True)
        await self.close()

    async def close(self) -> None:
        services = list(self._services.values())
        self._services.clear()
        with contextlib.suppress(Exception):  # closing a dead connection must never raise
            for service in services:
                await asyncio.wait_for(service.close(), 5)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.lockdown.close(), 5)


async def _browse(proxy: InstallationProxyService) -> list[Any]:
    """installation_proxy's Browse of every app, as the library's InstallationProxyService.browse reads it,
    with each reply decoded by ios_parse.plain_xml_plist where it can (the listing is most of the plists an
    iPhone's checklist reads, and most of the station's CPU for it) and by the library otherwise."""
    await proxy.service.send_plist({"Command": "Browse", "ClientOptions": {"ApplicationType": "Any", "ReturnAttributes": _APP_ATTRIBUTES}})
    listed: list[Any] = []
    while True:
        payload = await proxy.service.recv_prefixed()
        try:
            response = ios_parse.plain_xml_plist(payload)
        except ios_parse.NotPlain:
            response = parse_plist(payload)
        if not response:
            return listed
        data = response.get("CurrentList")
        if data is not None:
            listed += data
        if response.get("Status") == "Complete":
            return listed


def _team_id(entitlements: object) -> str | None:
    """The Apple team id: the explicit entitlement, else the prefix of application-identifier."""
    if not isinstance(entitlements, dict):
        return None
    team = entitlements.get("com.apple.developer.team-identifier")
    if isinstance(team, str) and team:
        return team
    app_identifier = entitlements.get("application-identifier")
    if isinstance(app_identifier, str) and "." in app_identifier:
        return app_identifier.split(".", 1)[0]
    return None


class IosTarget(PhoneTarget):
    """An iPhone seen by usbmuxd. ``pair_records`` is the station's folder of pairing records."""

    platform = Platform.IOS

    def __init__(self, udid: str, usbmux_address: str | None, pair_records: Path, timeouts: Timeouts = Timeouts()) -> None:
        self.udid = udid
        self.address = udid
        self.usbmux_address = usbmux_address
        self.pair_records = pair_records
        self.timeouts = timeouts

    async def _lockdown(self, pair_timeout: float) -> LockdownClient:
        client: LockdownClient = await create_using_usbmux(
            self.udid,
            usbmux_address=self.usbmux_address,
            pairing_records_cache_folder=self.pair_records,
            autopair=True,
            pair_timeout=pair_timeout,
        )
        return _with_known_device(client)

    async def lets_station_in(self) -> bool:
        """Whether the iPhone still accepts this station's pairing: a lockdown connection that never pairs
        (so no Trust dialog appears) and reports whether its session with the station's pair record started."""

        async def paired() -> bool:
            client = await create_using_usbmux(self.udid, usbmux_address=self.usbmux_address,
                                               pairing_records_cache_folder=self.pair_records, autopair=False)
            try:
                return bool(client.paired)
            finally:
                await client.close()

        return await _guarded(self.address, "checking the iPhone's pairing", paired(), self.timeouts.connect)

    async def connect(self, on_needs_approval: Callable[[str], None]) -> Phone:
        try:
            lockdown = await _guarded(self.address, "connecting", self._lockdown(0), self.timeouts.connect)
        except _TrustPending:
            # The phone shows "Trust This Computer?": tell the operator, then wait (bounded) for the tap.
            on_needs_approval(TRUST_PROMPT)
            try:
                lockdown = await _guarded(
                    self.address,
                    "waiting for Trust",
                    self._lockdown(self.timeouts.approval),
                    self.timeouts.connect + self.timeouts.approval + 2,
                )
            except DeviceTimeout:
                raise AuthorizationPending(
                    self.address, f"the iPhone has not trusted this station yet: {TRUST_PROMPT}, then try again"
                ) from None
        return IPhone(lockdown, self.address, self.timeouts, self.pair_records / f"{self.udid}.plist")


def use_usbmux_address(address: str | None) -> None:
    """pymobiledevice3 saves a new pairing to usbmuxd without passing the address on, so a usbmuxd other
    than the system's must also be named in USBMUXD_SOCKET_ADDRESS for pairing to complete."""
    if address is not None:
        os.environ["USBMUXD_SOCKET_ADDRESS"] = address


_UDID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}")


def is_udid(serial: str) -> bool:
    """An iPhone's UDID as usbmuxd reports it (25 or 40 characters of hex). Anything else is refused
    before it is used: pymobiledevice3 names the phone's pairing record file after it."""
    return _UDID.fullmatch(serial) is not None


async def list_iphones(usbmux_address: str | None, pair_records: Path, timeouts: Timeouts = Timeouts()) -> list[IosTarget]:
    """Every iPhone usbmuxd sees now (over USB)."""
    try:
        devices = await asyncio.wait_for(usbmux.list_devices(usbmux_address=usbmux_address), timeouts.connect)
    except (ConnectionFailedError, MuxException, OSError, TimeoutError) as exc:
        raise StationError(f"usbmuxd{' at ' + usbmux_address if usbmux_address else ''}: {Notice(NoticeKind.NO_USBMUXD)} ({exc})") from None
    return [IosTarget(device.serial, usbmux_address, pair_records, timeouts) for device in devices
            if device.is_usb and is_udid(device.serial)]


class IosWatcher(PhoneWatcher):
    """iPhones plugged and unplugged, as usbmuxd's Listen reports them (within a fraction of a second).
    When usbmuxd is not there, ``unavailable`` is told once and the watcher looks again every few seconds."""

    def __init__(
        self,
        usbmux_address: str | None,
        pair_records: Path,
        unavailable: Callable[[Notice], None],
        timeouts: Timeouts = Timeouts(),
        retry_s: float = 3.0,
    ) -> None:
        self.usbmux_address = usbmux_address
        self.pair_records = pair_records
        self.unavailable = unavailable
        self.timeouts = timeouts
        self.retry_s = retry_s

    async def watch(self, arrived: Callable[[PhoneTarget], None], left: Callable[[str], None]) -> None:
        present: set[str] = set()
        said = False
        while True:
            try:
                mux = await asyncio.wait_for(usbmux.create_mux(self.usbmux_address), self.timeouts.connect)
            except (ConnectionFailedError, MuxException, OSError, TimeoutError):
                if not said:
                    self.unavailable(Notice(NoticeKind.NO_USBMUXD))
                    said = True
                await asyncio.sleep(self.retry_s)
                continue
            said = False
            try:
                await mux.listen()
                while True:
                    now = {device.serial for device in mux.devices if device.is_usb}
                    for odd in sorted(now - present - {udid for udid in now if is_udid(udid)}):
                        self.unavailable(Notice(NoticeKind.NOT_A_UDID, odd[:80]))
                    now = {udid for udid in now if is_udid(udid)}
                    for udid in sorted(now - present):
                        arrived(IosTarget(udid, self.usbmux_address, self.pair_records, self.timeouts))
                    for udid in sorted(present - now):
                        left(udid)
                    present = now
                    await mux.receive_device_state_update()
            except (ConnectionTerminatedError, MuxException, OSError, asyncio.IncompleteReadError) as exc:
                if present:  # said, rather than letting the wall empty itself silently
                    self.unavailable(Notice(NoticeKind.USBMUXD_ENDED, str(exc) or type(exc).__name__, len(present)))
                for udid in sorted(present):
                    left(udid)
                present = set()
            finally:
                await mux.close()
