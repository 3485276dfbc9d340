"""Pure readings of what an iPhone's lockdownd and services answer: Find My, MDM enrolment, the battery,
and the XML plists of an app listing.

Each takes the decoded plist values pymobiledevice3 hands back; a value of the wrong shape reads as
not known (None), never as a reassuring default.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
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


class NotPlain(Exception):
    """An XML plist that plain_xml_plist leaves to plistlib (see there)."""


def plain_xml_plist(payload: bytes) -> Any:
    """An XML plist of dictionaries, arrays, strings, integers and booleans (what installation_proxy's
    Browse sends, hundreds of apps a listing), decoded to what plistlib.loads makes of it, at about half
    plistlib's CPU: expat builds the tree in C, then one pass turns it into values, where plistlib makes
    Python calls for each tag and each run of text. Anything else (binary plists, other value types, entity
    declarations, a document plistlib reads in its own way or refuses) raises NotPlain, for plistlib to
    decode or refuse as it does."""
    if not payload.startswith(b"<?xml") or b"<!ENTITY" in payload:
        raise NotPlain
    try:
        # Safe on what a phone sends: entity declarations are refused above, and expat fetches no external ones.
        root = ET.fromstring(payload)
        if root.tag != "plist" or len(root) != 1:
            raise NotPlain
        return _plain_value(root[0])
    except NotPlain:
        raise
    except Exception:  # noqa: BLE001 - whatever the fast pass cannot read, plistlib reads or refuses with its own error
        raise NotPlain from None


def _plain_value(element: ET.Element) -> Any:
    tag = element.tag
    if tag == "dict":
        children = list(element)
        if len(children) % 2:
            raise NotPlain
        values: dict[str, Any] = {}
        for key, value in zip(children[::2], children[1::2], strict=True):
            if key.tag != "key" or len(key):
                raise NotPlain
            values[key.text or ""] = _plain_value(value)
        return values
    if tag == "array":
        return [_plain_value(child) for child in element]
    if len(element):
        raise NotPlain
    if tag == "string":
        return element.text or ""
    if tag == "integer":
        text = element.text or ""
        return int(text, 16) if text.startswith(("0x", "0X")) else int(text)
    if tag == "true":
        return True
    if tag == "false":
        return False
    raise NotPlain
