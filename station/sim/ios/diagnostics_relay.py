"""A simulated iPhone's diagnostics_relay service (com.apple.mobile.diagnostics_relay): IORegistry
queries for the battery, answered with the AppleSmartBattery entry an iPhone 8 or later gives
(the keys libimobiledevice's `idevicediagnostics ioregentry AppleSmartBattery` and pymobiledevice3's
DiagnosticsService.ioregistry show); Goodbye ends it."""

from __future__ import annotations

from typing import Any

from station.sim.battery import DESIGN_MAH
from station.sim.ios.plist_service import PlistService

DIAGNOSTICS_RELAY = "com.apple.mobile.diagnostics_relay"
_BATTERY_ENTRY = {"AppleSmartBattery", "IOPMPowerSource"}  # its name, and the class it belongs to


class DiagnosticsRelay(PlistService):
    def handle(self, request: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        kind = request.get("Request")
        if kind == "Goodbye":
            return [{"Status": "Success"}], True
        if kind != "IORegistry":
            return [{"Status": "UnknownRequest"}], False
        if {request.get("EntryName"), request.get("EntryClass")} & _BATTERY_ENTRY:
            return [{"Status": "Success", "Diagnostics": {"IORegistry": self._battery()}}], False
        return [{"Status": "Success", "Diagnostics": {}}], False

    def _battery(self) -> dict[str, Any]:
        battery = self.phone.battery
        full = round(DESIGN_MAH * battery.capacity_percent / 100)
        entry: dict[str, Any] = {
            "AppleRawCurrentCapacity": round(full * battery.level / 100),
            "AppleRawMaxCapacity": full,
            "AtCriticalLevel": False,
            "BatteryInstalled": True,
            "CurrentCapacity": battery.level,
            "CycleCount": battery.cycle_count,
            "DesignCapacity": DESIGN_MAH,
            "ExternalChargeCapable": battery.charging,
            "ExternalConnected": battery.charging,
            "FullyCharged": battery.level == 100,
            "IsCharging": battery.charging and battery.level < 100,
            "MaxCapacity": 100,
            "NominalChargeCapacity": full,
            "Temperature": round(battery.temperature_c * 100),
            "Voltage": 4211,
        }
        if battery.health != "unknown":  # the iPhone's own verdict; older releases leave it out
            entry["BatteryHealth"] = "Good" if battery.health == "good" else "Poor"
        return entry
