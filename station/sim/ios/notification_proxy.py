"""A simulated iPhone's notification_proxy service (com.apple.mobile.notification_proxy), which
ideviceinstaller opens before anything else. Shapes of requests and replies follow what
pymobiledevice3 11.45 and libimobiledevice 1.3 send and expect.
"""

from __future__ import annotations

from typing import Any

from station.sim.ios.plist_service import PlistService

NOTIFICATION_PROXY = "com.apple.mobile.notification_proxy"


class NotificationProxy(PlistService):
    """com.apple.mobile.notification_proxy: takes observe/post requests silently; Shutdown ends it."""

    def handle(self, request: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        if request.get("Command") == "Shutdown":
            return [{"Command": "ProxyDeath"}], True
        return [], False

