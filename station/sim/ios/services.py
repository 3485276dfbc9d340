"""The services a simulated iPhone's lockdownd may start, each on its own TLS connection with
4-byte big-endian length + plist messages: installation_proxy (list and remove apps), MCInstall
(profiles, supervision, erase),
diagnostics_relay (the battery's IORegistry entry) and notification_proxy (ideviceinstaller opens it before anything).
Shapes of requests and replies follow what pymobiledevice3 11.45 and libimobiledevice 1.3 send and
expect; every change lands in the SimIPhone.
"""

from __future__ import annotations

from collections.abc import Callable

from station.sim.ios.diagnostics_relay import DIAGNOSTICS_RELAY, DiagnosticsRelay
from station.sim.ios.installation_proxy import INSTALLATION_PROXY, InstallationProxy
from station.sim.ios.lockdownd import ServiceFactory
from station.sim.ios.mcinstall import MCINSTALL, MobileConfig
from station.sim.ios.notification_proxy import NOTIFICATION_PROXY, NotificationProxy
from station.sim.ios.phone import SimIPhone


def service_factories(phone: SimIPhone, on_erase: Callable[[], None], latency_s: float,
                      on_unplug: Callable[[], None]) -> dict[str, ServiceFactory]:
    """The services lockdownd may start for ``phone``. ``on_erase`` runs after EraseDevice is
    acknowledged (usbmuxd then takes the phone away and brings it back fresh); ``on_unplug`` pulls
    the cable (for the phone's unplug_on test hook)."""
    return {
        INSTALLATION_PROXY: lambda: InstallationProxy(phone, latency_s, on_unplug),
        MCINSTALL: lambda: MobileConfig(phone, latency_s, on_unplug, on_erase),
        NOTIFICATION_PROXY: lambda: NotificationProxy(phone, latency_s, on_unplug),
        DIAGNOSTICS_RELAY: lambda: DiagnosticsRelay(phone, latency_s, on_unplug),
    }

