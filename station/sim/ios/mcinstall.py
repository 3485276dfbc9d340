"""A simulated iPhone's MCInstall service (com.apple.mobile.MCInstall): configuration profiles,
cloud configuration (supervision) and erase, every change landing in the SimIPhone. Shapes of
requests and replies follow what pymobiledevice3 11.45 and libimobiledevice 1.3 send and expect.
"""

from __future__ import annotations

import asyncio
import logging
import os
import plistlib
import re
from collections.abc import Callable
from typing import Any

from station.sim.ios.phone import SimIPhone, SimProfile
from station.sim.ios.plist_service import PlistService

log = logging.getLogger(__name__)

MCINSTALL = "com.apple.mobile.MCInstall"
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
    except Exception as exc:  # noqa: BLE001 - plistlib raises many unrelated types for bad input (ExpatError, ValueError...)
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


class MobileConfig(PlistService):
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
            except Exception:  # noqa: BLE001 - plistlib raises many unrelated types for bad input (ExpatError, ValueError...)
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
        if self.phone.mdm is not None:
            configuration.update({"OrganizationName": self.phone.mdm.organization, "ConfigurationURL": self.phone.mdm.server,
                                  "IsMDMUnremovable": self.phone.mdm.unremovable, "IsMandatory": True})
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

