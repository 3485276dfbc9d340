"""What a simulated iPhone answers about Find My, its MDM enrolment and its battery: the keys real iPhones
give (tests/data/ios/), read by the station's own readings, and what an erase leaves of Find My."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

from station.devices import ios_parse
from station.sim.fleet import load_fleet
from station.sim.ios.diagnostics_relay import DiagnosticsRelay
from station.sim.ios.lockdownd import device_values, domain_values
from station.sim.ios.mcinstall import MobileConfig
from station.sim.ios.phone import SimIPhone
from tests.support import DATA

UDID = "00008110-001A2B3C4D5E801E"


def iphone(tmp_path: Path, extra: str) -> SimIPhone:
    path = tmp_path / "fleet.toml"
    path.write_text(f'[[device]]\nplatform = "ios"\nserial = "{UDID}"\n{extra}\n', encoding="utf-8")
    (loaded,) = load_fleet(path).ios
    return loaded


def real(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = plistlib.loads((DATA / "ios" / name).read_bytes())
    return loaded


def test_find_my_is_answered_in_the_fmip_domain_and_survives_an_erase(tmp_path: Path) -> None:
    phone = iphone(tmp_path, "find_my = true")
    fmip = domain_values(phone, ios_parse.FIND_MY_DOMAIN)
    assert fmip is not None and set(fmip) == {real("lockdown-fmip-isassociated.plist")["Key"]}
    assert ios_parse.find_my(fmip[ios_parse.FIND_MY_KEY]) is True
    phone.erase()
    # Activation Lock lives with Apple, not on the phone: the erased iPhone is still tied to the Apple ID.
    assert domain_values(phone, ios_parse.FIND_MY_DOMAIN) == {"IsAssociated": True}
    assert phone.activation_locked and device_values(phone)["ActivationState"] == "Unactivated"


def test_an_iphone_without_find_my_erases_free(tmp_path: Path) -> None:
    phone = iphone(tmp_path, "")
    phone.erase()
    assert domain_values(phone, ios_parse.FIND_MY_DOMAIN) == {"IsAssociated": False} and not phone.activation_locked


def test_cloud_configuration_names_the_mdm_with_the_real_keys(tmp_path: Path) -> None:
    phone = iphone(tmp_path, 'mdm = { organization = "Example Corp", server = "https://mdm.example.com/enroll" }')
    (reply,), _ = MobileConfig(phone, 0, lambda: None, lambda: None).handle({"RequestType": "GetCloudConfiguration"})
    expected = real("mcinstall-cloud-configuration-mdm.plist")
    assert set(reply["CloudConfiguration"]) <= set(expected["CloudConfiguration"])
    assert ios_parse.management(reply["CloudConfiguration"]) == ios_parse.management(expected["CloudConfiguration"])


def test_battery_entry_has_the_real_keys_and_reads_back(tmp_path: Path) -> None:
    phone = iphone(tmp_path, "battery = { level = 64, capacity_percent = 83, cycle_count = 640, temperature_c = 31.5 }")
    relay = DiagnosticsRelay(phone, 0, lambda: None)
    (reply,), _ = relay.handle({"Request": "IORegistry", "EntryClass": ios_parse.POWER_SOURCE_CLASS})
    expected = real("ioregistry-battery-ios17.plist")
    assert reply["Status"] == expected["Status"]
    assert set(reply["Diagnostics"]["IORegistry"]) == set(expected["Diagnostics"]["IORegistry"])
    battery = ios_parse.battery(reply["Diagnostics"]["IORegistry"])
    assert battery is not None
    assert (battery.level, battery.capacity_percent, battery.cycle_count, battery.temperature_c) == (64, 83, 640, 31.5)
