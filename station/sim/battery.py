"""A simulated phone's battery, as a fleet file's ``battery = { ... }`` table describes it; the Android
and iPhone simulators each print it in their own platform's format (dumpsys battery, IORegistry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from station.core.tomlfile import Table

BatteryHealthWord = Literal["good", "overheat", "dead", "over_voltage", "failure", "cold", "unknown"]
# Android's BatteryManager.BATTERY_HEALTH_* code for each word, as dumpsys battery prints it.
ANDROID_HEALTH_CODES: dict[str, int] = {
    "unknown": 1, "good": 2, "overheat": 3, "dead": 4, "over_voltage": 5, "failure": 6, "cold": 7,
}
DESIGN_MAH = 3200  # an iPhone 15-sized battery; the simulated capacity is a share of it


@dataclass
class SimBattery:
    level: int = 87
    health: str = "good"
    charging: bool = True
    temperature_c: float = 29.5
    capacity_percent: int = 96  # what it still holds against its design (Samsung and iPhones report it)
    cycle_count: int = 212


class BatteryEntry(Table):
    """``battery = { level = 87, health = "good", charging = true, temperature_c = 29.5, capacity_percent = 96,
    cycle_count = 212 }``; every key optional."""

    level: Annotated[int, Field(ge=0, le=100)] = 87
    health: BatteryHealthWord = "good"
    charging: bool = True
    temperature_c: Annotated[float, Field(ge=-40, le=100)] = 29.5
    capacity_percent: Annotated[int, Field(ge=1, le=120)] = 96
    cycle_count: Annotated[int, Field(ge=0)] = 212

    def to_battery(self) -> SimBattery:
        return SimBattery(self.level, self.health, self.charging, self.temperature_c, self.capacity_percent, self.cycle_count)
