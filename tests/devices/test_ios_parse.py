"""The readings of an iPhone's Find My, MDM enrolment and battery, against replies in the shapes real
iPhones give (tests/data/ios/, each file citing its source)."""

from __future__ import annotations

import plistlib

from station.core.models import BatteryHealth
from station.devices import ios_parse
from tests.support import DATA


def reply(name: str) -> dict[str, object]:
    loaded: dict[str, object] = plistlib.loads((DATA / "ios" / name).read_bytes())
    return loaded


def test_find_my_on_is_read_from_lockdowns_fmip_domain() -> None:
    answer = reply("lockdown-fmip-isassociated.plist")
    assert (answer["Domain"], answer["Key"]) == (ios_parse.FIND_MY_DOMAIN, ios_parse.FIND_MY_KEY)
    assert ios_parse.find_my(answer["Value"]) is True
    assert ios_parse.find_my(None) is None  # not answered: not known, never "off"
    assert ios_parse.find_my("true") is None


def test_an_mdm_enrolment_names_the_organisation_and_its_server() -> None:
    cloud = reply("mcinstall-cloud-configuration-mdm.plist")["CloudConfiguration"]
    assert isinstance(cloud, dict)
    assert ios_parse.management(cloud) == [
        ("enrolled by Example Corp through Apple device enrolment (MDM server https://mdm.example.com/enroll); "
         "the MDM profile cannot be removed")]
    assert ios_parse.management({"IsSupervised": False, "AllowPairing": True}) == []


def test_battery_from_the_smart_battery_entry() -> None:
    entry = reply("ioregistry-battery-ios17.plist")["Diagnostics"]
    assert isinstance(entry, dict)
    battery = ios_parse.battery(entry["IORegistry"])
    assert battery is not None
    assert (battery.level, battery.health, battery.cycle_count, battery.temperature_c) == (92, BatteryHealth.GOOD, 587, 30.12)
    assert battery.capacity_percent == round(100 * 2698 / 3227)  # NominalChargeCapacity against DesignCapacity


def test_an_older_iphone_without_health_or_nominal_capacity() -> None:
    entry = reply("ioregistry-battery-ios15-raw-only.plist")["Diagnostics"]
    assert isinstance(entry, dict)
    battery = ios_parse.battery(entry["IORegistry"])
    assert battery is not None
    assert (battery.health, battery.capacity_percent, battery.charging) == (BatteryHealth.UNKNOWN, round(100 * 1498 / 1821), False)
    assert ios_parse.battery({"DesignCapacity": 3000}) is None  # no charge level: no battery reading
