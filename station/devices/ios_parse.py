"""Pure readings of what an iPhone's lockdownd and services answer: Find My, MDM enrolment, the battery.

Each takes the decoded plist values pymobiledevice3 hands back; a value of the wrong shape reads as
not known (None), never as a reassuring default.
"""

from __future__ import annotations

from typing import Any

from station.core.models import Battery, BatteryHealth

FIND_MY_DOMAIN = "com.apple.fmip"
FIND_MY_KEY = "IsAssociated"  # true: the iPhone is tied to an Apple ID with Find My on (Activation Lock)
POWER_SOURCE_CLASS = "IOPMPowerSource"  # AppleSmartBattery's class, as pymobiledevice3's get_battery asks


def find_my(value: object) -> bool | None:
    """lockdown GetValue(com.apple.fmip, IsAssociated): a boolean, or None when the iPhone did not give one."""
    return value if isinstance(value, bool) else None


def management(cloud: dict[str, Any]) -> list[str]:
    """MCInstall's GetCloudConfiguration: who enrols the iPhone through Apple's device enrolment (the
    organisation and its MDM server), or nobody."""
    organisation = cloud.get("OrganizationName")
    server = cloud.get("ConfigurationURL")
    if not isinstance(organisation, str) and not isinstance(server, str):
        return []
    who = organisation if isinstance(organisation, str) and organisation else "an organisation"
    said = f"enrolled by {who} through Apple device enrolment"
    if isinstance(server, str) and server:
        said += f" (MDM server {server})"
    if cloud.get("IsMDMUnremovable"):
        said += "; the MDM profile cannot be removed"
    return [said]


def _int(entry: dict[str, Any], key: str) -> int | None:
    value = entry.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def battery(entry: dict[str, Any]) -> Battery | None:
    """The IORegistry entry of the iPhone's battery. CurrentCapacity is the charge in percent;
    NominalChargeCapacity (else AppleRawMaxCapacity) against DesignCapacity, both in mAh, is the capacity
    it still holds; Temperature is in hundredths of a degree. BatteryHealth, where the iPhone gives it,
    is its own verdict ("Good"); without it the health is not known and the capacity speaks."""
    level = _int(entry, "CurrentCapacity")
    if level is None:
        return None
    design = _int(entry, "DesignCapacity")
    full = _int(entry, "NominalChargeCapacity") or _int(entry, "AppleRawMaxCapacity")
    temperature = _int(entry, "Temperature")
    said = entry.get("BatteryHealth")
    health = BatteryHealth.UNKNOWN
    if isinstance(said, str):
        health = BatteryHealth.GOOD if said.lower() == "good" else BatteryHealth.FAILURE
    charging = entry.get("IsCharging")
    return Battery(
        level=level,
        health=health,
        charging=charging if isinstance(charging, bool) else None,
        temperature_c=None if temperature is None else temperature / 100,
        cycle_count=_int(entry, "CycleCount"),
        capacity_percent=round(100 * full / design) if full and design else None,
    )
