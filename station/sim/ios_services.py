"""The services a simulated iPhone starts through lockdownd, each on its own TLS connection with
4-byte big-endian length + plist messages: installation_proxy (list and remove apps), MCInstall
(profiles, supervision, erase) and notification_proxy (ideviceinstaller opens it before anything).

Shapes of requests and replies follow what pymobiledevice3 11.45 and libimobiledevice 1.3 send and
expect; every change lands in the SimIPhone.
"""

from __future__ import annotations

import asyncio
import logging
import os
import plistlib
import re
from collections.abc import Callable
from typing import Any

from station.sim.ios_phone import SimApp, SimIPhone, SimProfile
from station.sim.lockdownd import ServiceFactory
from station.sim.plist_wire import ConnectionEnded, DeviceStream

log = logging.getLogger(__name__)

INSTALLATION_PROXY = "com.apple.mobile.installation_proxy"
MCINSTALL = "com.apple.mobile.MCInstall"
NOTIFICATION_PROXY = "com.apple.mobile.notification_proxy"
BROWSE_CHUNK = 20
APP_STORE_SIGNER = "Apple iPhone OS Application Signing"
RESTRICTIONS_PAYLOAD = "com.apple.applicationaccess"
_BLOCKED_APP_KEYS = ("blockedAppBundleIDs", "blacklistedAppBundleIDs")
_EMBEDDED_PLIST = re.compile(rb"<\?xml.*?</plist>", re.DOTALL)
# MCInstall's error codes, as its ErrorChain reports them.
_MALFORMED_PROFILE = (1000, "MCProfileErrorDomain", "The profile is not valid.")
_PROFILE_NOT_FOUND = (1011, "MCProfileErrorDomain", "The profile is not installed.")
_NOT_SUPERVISED = (4001, "MCInstallationErrorDomain", "Silent installation requires a supervised device.")
_NOT_ESCALATED = (4002, "MCInstallationErrorDomain", "The host has not authenticated as the supervisor.")
_CLOUD_CONFIGURATION_PRESENT = (14002, "MCCloudConfigErrorDomain", "The device already has a cloud configuration.")
_UNKNOWN_REQUEST = (1, "MCInstallationErrorDomain", "Unknown request.")


def service_factories(phone: SimIPhone, on_erase: Callable[[], None], latency_s: float,
                      on_unplug: Callable[[], None]) -> dict[str, ServiceFactory]:
    """The services lockdownd may start for ``phone``. ``on_erase`` runs after EraseDevice is
    acknowledged (usbmuxd then takes the phone away and brings it back fresh); ``on_unplug`` pulls
    the cable (for the phone's unplug_on test hook)."""
    return {
        INSTALLATION_PROXY: lambda: InstallationProxy(phone, latency_s, on_unplug),
        MCINSTALL: lambda: MobileConfig(phone, latency_s, on_unplug, on_erase),
        NOTIFICATION_PROXY: lambda: NotificationProxy(phone, latency_s, on_unplug),
    }


class _PlistService:
    """Reads one request at a time, waits the phone's latency, and writes the replies."""

    fault_place = ""  # the name a fleet file's reply_fault_in gives this service

    def __init__(self, phone: SimIPhone, latency_s: float, on_unplug: Callable[[], None]) -> None:
        self.phone = phone
        self.default_latency_s = latency_s
        self.on_unplug = on_unplug

    async def serve(self, stream: DeviceStream) -> None:
        while True:
            request = await stream.read_frame()
            if self.phone.unplug_on is not None and self.phone.unplug_on in (request.get("RequestType"), request.get("Command")):
                log.info("%s: unplugged on %s", self.phone.udid, self.phone.unplug_on)
                self.phone.unplug_on = None
                self.on_unplug()
                raise ConnectionEnded()
            latency = self.phone.latency_ms / 1000 if self.phone.latency_ms is not None else self.default_latency_s
            await asyncio.sleep(latency)
            replies, done = self.handle(request)
            for reply in replies:
                await stream.write_frame(reply, self.phone.fault_in(self.fault_place))
            if done:
                return

    def handle(self, request: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        """The replies to one request, and whether the service then ends."""
        raise NotImplementedError


# ---------------------------------------------------------------- installation_proxy


def app_attributes(app: SimApp) -> dict[str, Any]:
    """Every attribute installation_proxy reports for an app (ReturnAttributes picks from these)."""
    bundle_name = re.sub(r"[^A-Za-z0-9]", "", app.name) or "App"
    attributes: dict[str, Any] = {
        "CFBundleIdentifier": app.bundle_id,
        "CFBundleDisplayName": app.name,
        "CFBundleName": app.name,
        "CFBundleExecutable": bundle_name,
        "CFBundleShortVersionString": app.version,
        "CFBundleVersion": app.version,
        "ApplicationType": "System" if app.system else "User",
        "IsAppClip": False,
        "IsDemotedApp": False,
        "MinimumOSVersion": "13.0",
        "UIDeviceFamily": [1],
    }
    if app.system:
        # Apple's own apps carry no team and no App Store signer.
        attributes["Path"] = f"/Applications/{bundle_name}.app"
        prefix = f"{app.team_id}." if app.team_id is not None else ""
        attributes["Entitlements"] = {"application-identifier": prefix + app.bundle_id}
    else:
        container = app.container_uuid
        attributes["Path"] = f"/private/var/containers/Bundle/Application/{container}/{bundle_name}.app"
        attributes["Container"] = f"/private/var/mobile/Containers/Data/Application/{container}"
        attributes["SignerIdentity"] = APP_STORE_SIGNER
        attributes["Entitlements"] = {
            "application-identifier": f"{app.team_id}.{app.bundle_id}",
            "com.apple.developer.team-identifier": app.team_id,
            "keychain-access-groups": [f"{app.team_id}.{app.bundle_id}"],
        }
        attributes["iTunesMetadata"] = plistlib.dumps({"itemName": app.name, "bundleVersion": app.version})
    return attributes


def _select(attributes: dict[str, Any], wanted: Any) -> dict[str, Any]:
    if not isinstance(wanted, list) or not wanted:
        return attributes
    return {name: attributes[name] for name in wanted if isinstance(name, str) and name in attributes}


class InstallationProxy(_PlistService):
    """com.apple.mobile.installation_proxy: Browse, Lookup and Uninstall."""

    fault_place = "installation_proxy"

    def handle(self, request: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        command = request.get("Command")
        options = request.get("ClientOptions") or {}
        if not isinstance(options, dict):
            return [{"Error": "APIInternalError", "ErrorDescription": "ClientOptions must be a dictionary"}], False
        if command == "Browse":
            return self._browse(options), False
        if command == "Lookup":
            found = {app.bundle_id: _select(app_attributes(app), options.get("ReturnAttributes"))
                     for app in self._matching(options)}
            return [{"LookupResult": found, "Status": "Complete"}], False
        if command == "Uninstall":
            return self._uninstall(request.get("ApplicationIdentifier")), False
        return [{"Error": "UnknownCommand", "ErrorDescription": f"Unknown command {command!r}"}], False

    def _matching(self, options: dict[str, Any]) -> list[SimApp]:
        kind = options.get("ApplicationType", "Any")
        bundle_ids = options.get("BundleIDs")
        apps = [
            app for app in self.phone.apps.values()
            if kind == "Any" or (kind == "System") == app.system and kind in ("System", "User")
        ]
        if isinstance(bundle_ids, list):
            apps = [app for app in apps if app.bundle_id in bundle_ids]
        return apps

    def _browse(self, options: dict[str, Any]) -> list[dict[str, Any]]:
        apps = [_select(app_attributes(app), options.get("ReturnAttributes")) for app in self._matching(options)]
        replies = [
            {
                "CurrentAmount": len(apps[start:start + BROWSE_CHUNK]),
                "CurrentIndex": start,
                "CurrentList": apps[start:start + BROWSE_CHUNK],
                "Status": "BrowsingApplications",
                "Total": len(apps),
            }
            for start in range(0, len(apps), BROWSE_CHUNK)
        ]
        return [*replies, {"Status": "Complete"}]

    def _uninstall(self, bundle_id: Any) -> list[dict[str, Any]]:
        app = self.phone.apps.get(bundle_id) if isinstance(bundle_id, str) else None
        if app is None:
            return [{"Error": "ApplicationNotFound", "ErrorDescription": f"No app with bundle id {bundle_id!r}",
                     "ErrorDetail": -1}]
        if app.system:
            return [{"Error": "UninstallProhibited", "ErrorDescription": f"{bundle_id} is a system app"}]
        self.phone.uninstall(app.bundle_id)
        log.info("%s: uninstalled %s", self.phone.udid, app.bundle_id)
        return [
            {"PercentComplete": 50, "Status": "RemovingApplication"},
            {"PercentComplete": 90, "Status": "GeneratingApplicationMap"},
            {"Status": "Complete"},
        ]


# ---------------------------------------------------------------- MCInstall


class ProfileFormatError(Exception):
    """A .mobileconfig that is not a Configuration profile."""


def parse_profile(payload: bytes) -> SimProfile:
    """Read a .mobileconfig, plain or signed (the plist is then embedded in the CMS envelope)."""
    data = payload
    if not payload.lstrip().startswith((b"<?xml", b"<plist", b"bplist")):
        embedded = _EMBEDDED_PLIST.search(payload)
        if embedded is None:
            raise ProfileFormatError("no property list in the payload")
        data = embedded.group(0)
    try:
        document = plistlib.loads(data)
    except Exception as exc:  # plistlib raises several types for bad input
        raise ProfileFormatError(f"not a property list: {exc}") from None
    if not isinstance(document, dict) or document.get("PayloadType") != "Configuration":
        raise ProfileFormatError("PayloadType is not Configuration")
    identifier, profile_uuid = document.get("PayloadIdentifier"), document.get("PayloadUUID")
    if not isinstance(identifier, str) or not identifier or not isinstance(profile_uuid, str):
        raise ProfileFormatError("PayloadIdentifier and PayloadUUID are required")
    content = document.get("PayloadContent", [])
    if not isinstance(content, list) or not all(isinstance(item, dict) for item in content):
        raise ProfileFormatError("PayloadContent must be a list of payloads")
    blocked: list[str] = []
    for item in content:
        if item.get("PayloadType") == RESTRICTIONS_PAYLOAD:
            for key in _BLOCKED_APP_KEYS:
                listed = item.get(key, [])
                if not isinstance(listed, list):
                    raise ProfileFormatError(f"{key} must be a list of bundle ids")
                blocked += [value for value in listed if isinstance(value, str)]
    version = document.get("PayloadVersion", 1)
    return SimProfile(
        identifier=identifier,
        display_name=str(document.get("PayloadDisplayName", identifier)),
        payload_types=[str(item.get("PayloadType", "")) for item in content],
        uuid=profile_uuid,
        version=version if isinstance(version, int) else 1,
        description=str(document.get("PayloadDescription", "")),
        organization=str(document.get("PayloadOrganization", "")),
        removal_disallowed=bool(document.get("PayloadRemovalDisallowed", False)),
        blocked_app_ids=blocked,
    )


def _error(code: tuple[int, str, str], detail: str = "") -> dict[str, Any]:
    number, domain, text = code
    message = f"{text} {detail}".strip()
    return {
        "Status": "Error",
        "ErrorChain": [{"ErrorCode": number, "ErrorDomain": domain, "LocalizedDescription": message,
                        "USEnglishDescription": message}],
    }


_ACK: dict[str, Any] = {"Status": "Acknowledged"}


class MobileConfig(_PlistService):
    """com.apple.mobile.MCInstall: profiles, cloud configuration (supervision) and erase.

    InstallProfile installs at once, as if the user approved it in Settings. InstallProfileSilent
    needs a supervised phone and an Escalate handshake first; any supervisor certificate is taken
    (the fleet file does not say which one supervises the phone).
    """

    fault_place = "MCInstall"

    def __init__(self, phone: SimIPhone, latency_s: float, on_unplug: Callable[[], None], on_erase: Callable[[], None]) -> None:
        super().__init__(phone, latency_s, on_unplug)
        self.on_erase = on_erase
        self.escalated = False
        self._challenge: bytes | None = None

    def handle(self, request: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        kind = request.get("RequestType")
        if kind == "EraseDevice":
            log.info("%s: erasing", self.phone.udid)
            self.phone.erase()
            asyncio.get_running_loop().call_soon(self.on_erase)
            return [dict(_ACK)], True
        handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "HelloHostIdentifier": lambda _: dict(_ACK),
            "Flush": lambda _: dict(_ACK),
            "GetProfileList": self._profile_list,
            "InstallProfile": self._install,
            "InstallProfileSilent": self._install_silent,
            "RemoveProfile": self._remove,
            "GetCloudConfiguration": self._cloud_configuration,
            "SetCloudConfiguration": self._set_cloud_configuration,
            "Escalate": self._escalate,
            "EscalateResponse": self._escalate_response,
            "ProceedWithKeybagMigration": lambda _: dict(_ACK),
        }
        handler = handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            return [_error(_UNKNOWN_REQUEST, repr(kind))], False
        return [handler(request)], False

    def _profile_list(self, request: dict[str, Any]) -> dict[str, Any]:
        profiles = list(self.phone.profiles.values())
        return {
            "OrderedIdentifiers": [profile.identifier for profile in profiles],
            "ProfileManifest": {profile.identifier: {"Description": profile.display_name, "IsActive": True}
                                for profile in profiles},
            "ProfileMetadata": {
                profile.identifier: {
                    "PayloadDisplayName": profile.display_name,
                    "PayloadDescription": profile.description,
                    "PayloadOrganization": profile.organization,
                    "PayloadRemovalDisallowed": profile.removal_disallowed,
                    "PayloadUUID": profile.uuid,
                    "PayloadVersion": profile.version,
                }
                for profile in profiles
            },
            "Status": "Acknowledged",
        }

    def _install(self, request: dict[str, Any]) -> dict[str, Any]:
        payload = request.get("Payload")
        if not isinstance(payload, bytes):
            return _error(_MALFORMED_PROFILE, "Payload must be data.")
        try:
            profile = parse_profile(payload)
        except ProfileFormatError as exc:
            return _error(_MALFORMED_PROFILE, str(exc))
        self.phone.install_profile(profile)
        log.info("%s: installed profile %s", self.phone.udid, profile.identifier)
        return dict(_ACK)

    def _install_silent(self, request: dict[str, Any]) -> dict[str, Any]:
        if not self.phone.supervised:
            return _error(_NOT_SUPERVISED)
        if not self.escalated:
            return _error(_NOT_ESCALATED)
        return self._install(request)

    def _remove(self, request: dict[str, Any]) -> dict[str, Any]:
        """pymobiledevice3 sends ProfileIdentifier as plist data ({PayloadIdentifier, PayloadUUID,
        ...}); a plain identifier string is taken too."""
        raw = request.get("ProfileIdentifier")
        identifier: Any = raw
        if isinstance(raw, bytes):
            try:
                identifier = plistlib.loads(raw).get("PayloadIdentifier")
            except Exception:  # plistlib raises several types for bad input
                identifier = None
        if not isinstance(identifier, str) or identifier not in self.phone.profiles:
            return _error(_PROFILE_NOT_FOUND, repr(identifier))
        self.phone.remove_profile(identifier)
        log.info("%s: removed profile %s", self.phone.udid, identifier)
        return dict(_ACK)

    def _cloud_configuration(self, request: dict[str, Any]) -> dict[str, Any]:
        configuration: dict[str, Any] = {
            "IsSupervised": self.phone.supervised,
            "AllowPairing": True,
            "IsMandatory": self.phone.supervised,
            "IsMDMUnremovable": False,
        }
        if self.phone.supervised:
            configuration["OrganizationName"] = "Simulated Depot"
        return {"Status": "Acknowledged", "CloudConfiguration": configuration}

    def _set_cloud_configuration(self, request: dict[str, Any]) -> dict[str, Any]:
        """Only a phone waiting in Setup Assistant (after an erase) takes a cloud configuration."""
        configuration = request.get("CloudConfiguration")
        if self.phone.activated:
            return _error(_CLOUD_CONFIGURATION_PRESENT)
        if not isinstance(configuration, dict):
            return _error(_UNKNOWN_REQUEST, "CloudConfiguration must be a dictionary.")
        self.phone.supervised = bool(configuration.get("IsSupervised", False))
        return dict(_ACK)

    def _escalate(self, request: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(request.get("SupervisorCertificate"), bytes):
            return _error(_NOT_ESCALATED, "SupervisorCertificate must be data.")
        self._challenge = os.urandom(32)
        return {"Status": "Acknowledged", "Challenge": self._challenge}

    def _escalate_response(self, request: dict[str, Any]) -> dict[str, Any]:
        signed = request.get("SignedRequest")
        if self._challenge is None or not isinstance(signed, bytes) or self._challenge not in signed:
            return _error(_NOT_ESCALATED, "The challenge response does not match.")
        self.escalated = self.phone.supervised
        return dict(_ACK)


# ---------------------------------------------------------------- notification_proxy


class NotificationProxy(_PlistService):
    """com.apple.mobile.notification_proxy: takes observe/post requests silently; Shutdown ends it."""

    def handle(self, request: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        if request.get("Command") == "Shutdown":
            return [{"Command": "ProxyDeath"}], True
        return [], False

