"""A simulated iPhone's installation_proxy service (com.apple.mobile.installation_proxy): list the
apps (Browse, Lookup) and remove them (Uninstall), every change landing in the SimIPhone. Shapes of
requests and replies follow what pymobiledevice3 11.45 and libimobiledevice 1.3 send and expect.
"""

from __future__ import annotations

import functools
import logging
import plistlib
import re
from typing import Any

from station.sim.ios.phone import SimApp
from station.sim.ios.plist_service import PlistService

log = logging.getLogger(__name__)

INSTALLATION_PROXY = "com.apple.mobile.installation_proxy"
BROWSE_CHUNK = 20
APP_STORE_SIGNER = "Apple iPhone OS Application Signing"


def app_attributes(app: SimApp) -> dict[str, Any]:
    """Every attribute installation_proxy reports for an app (ReturnAttributes picks from these). The
    dictionary is shared by every reply about an app in this state: read it, never change it."""
    return _attributes(app.bundle_id, app.name, app.version, app.team_id, app.system)


# An app's attributes are made once per state of the app (a hub's Browse lists hundreds of apps per
# phone, twice per checklist, and each app's iTunesMetadata is a plist of its own to serialise).
@functools.lru_cache(maxsize=1 << 16)
def _attributes(bundle_id: str, name: str, version: str, team_id: str | None, system: bool) -> dict[str, Any]:
    app = SimApp(bundle_id, name, version, team_id, system)
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
        return dict(attributes)
    return {name: attributes[name] for name in wanted if isinstance(name, str) and name in attributes}


class InstallationProxy(PlistService):
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
            if kind == "Any" or ((kind == "System") == app.system and kind in ("System", "User"))
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

