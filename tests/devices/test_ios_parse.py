"""The readings of an iPhone's Find My, MDM enrolment and battery, against replies in the shapes real
iPhones give (tests/data/ios/, each file citing its source)."""

from __future__ import annotations

import plistlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# What plistlib writes as XML: text without the control characters XML cannot carry, 64-bit integers.
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"), max_size=12)
_PLAIN = st.recursive(
    st.one_of(_TEXT, st.integers(-(1 << 63), (1 << 64) - 1), st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=25,
)
_OTHER = st.one_of(st.binary(max_size=30), st.floats(allow_nan=False), st.datetimes())


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_an_app_listings_plists_read_as_plistlib_reads_them(value: object) -> None:
    """The station's own reader of installation_proxy's replies (dictionaries, arrays, strings, integers,
    booleans) gives exactly what plistlib gives."""
    payload = plistlib.dumps({"CurrentList": [value], "Status": "BrowsingApplications"})
    assert ios_parse.plain_xml_plist(payload) == plistlib.loads(payload)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.one_of(_PLAIN, _OTHER), lambda inner: st.lists(inner, min_size=1, max_size=3), max_leaves=6))
def test_other_values_are_left_to_plistlib_or_read_alike(value: object) -> None:
    payload = plistlib.dumps({"Value": value})
    try:
        read = ios_parse.plain_xml_plist(payload)
    except ios_parse.NotPlain:
        return
    assert read == plistlib.loads(payload)


@pytest.mark.parametrize("payload", [
    # an entity declaration: plistlib refuses the document (XML entity attacks)
    b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "x">]><plist version="1.0"><string>&a;</string></plist>',
    b'<?xml version="1.0"?><plist version="1.0"><array><key>a</key></array></plist>',  # a key where values go
    b'<?xml version="1.0"?><plist version="1.0"><dict><key>a</key></dict></plist>',  # a key without its value
    b'<?xml version="1.0"?><plist version="1.0"><integer>0x1F</integer></plist>',  # read as plistlib reads it
    b'<?xml version="1.0"?><plist version="1.0"><string>a<string>b</string></string></plist>',
    b'<?xml version="1.0"?><plist version="1.0"><data>AAE=</data></plist>',
    b'<?xml version="1.0"?><plist version="1.0"><string>cut short',
    plistlib.dumps({"Status": "Complete"}, fmt=plistlib.FMT_BINARY),
])
def test_documents_the_fast_reader_does_not_read_the_way_plistlib_does_are_left_to_plistlib(payload: bytes) -> None:
    try:
        read = ios_parse.plain_xml_plist(payload)
    except ios_parse.NotPlain:
        return
    assert read == plistlib.loads(payload)
